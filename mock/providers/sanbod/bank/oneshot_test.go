package bank

// The one-phase forms of the services, for the tests: judge and act at once,
// with no engine in between.

// do joins the two phases: an Act that answers err when the check failed.
func do[Res any](act Act[Res], err error) Act[Res] {
	if err != nil {
		return func(Ctx) (Res, int, error) {
			var zero Res
			return zero, 0, err
		}
	}
	return act
}

func (b *Bank) NormalTransfer(c Ctx, r NormalTransferRequest) (NormalTransferResult, int, error) {
	return b.normalTransfer(c, r)
}

func (b *Bank) AchTransfer(c Ctx, r AchTransferRequest) (AchTransferResult, int, error) {
	return b.achTransfer(c, r)
}

func (b *Bank) RtgsTransfer(c Ctx, r RtgsTransferRequest) (RtgsTransferResult, int, error) {
	return b.rtgsTransfer(c, r)
}

func (b *Bank) Statement(c Ctx, r StatementRequest) (StatementResult, int, error) {
	return do(b.CheckStatement(c, r))(c)
}

func (b *Bank) AchReport(c Ctx, r AchReportRequest) (AchReportResult, int, error) {
	return do(b.CheckAchReport(c, r))(c)
}

func (b *Bank) RtgsReport(c Ctx, r RtgsReportRequest) (RtgsReportResult, int, error) {
	return do(b.CheckRtgsReport(c, r))(c)
}

func (b *Bank) DepositToIban(c Ctx, r DepositToIbanRequest) (DepositToIbanResult, int, error) {
	return do(b.CheckDepositToIban(c, r))(c)
}

func (b *Bank) CardToIban(c Ctx, r CardToIbanRequest) (CardToIbanResult, int, error) {
	return do(b.CheckCardToIban(c, r))(c)
}

func (b *Bank) IbanToDeposit(c Ctx, r IbanToDepositRequest) (IbanToDepositResult, int, error) {
	return do(b.CheckIbanToDeposit(c, r))(c)
}

func (b *Bank) CardToDeposit(c Ctx, r CardToDepositRequest) (CardToDepositResult, int, error) {
	return do(b.CheckCardToDeposit(c, r))(c)
}

func (b *Bank) IbanInquiry(c Ctx, r IbanInquiryRequest) (IbanInquiryResult, int, error) {
	return do(b.CheckIbanInquiry(c, r))(c)
}

func (b *Bank) MobileNationalID(c Ctx, r MobileNationalIDRequest) (MatchResult, int, error) {
	return do(b.CheckMobileNationalID(c, r))(c)
}

func (b *Bank) CardNationalID(c Ctx, r CardNationalIDRequest) (MatchResult, int, error) {
	return do(b.CheckCardNationalID(c, r))(c)
}

func (b *Bank) Personal(c Ctx, r PersonalRequest) (PersonalResult, int, error) {
	return do(b.CheckPersonal(c, r))(c)
}

func (b *Bank) PersonalWithImage(c Ctx, r PersonalRequest) (PersonalWithImageResult, int, error) {
	return do(b.CheckPersonalWithImage(c, r))(c)
}
