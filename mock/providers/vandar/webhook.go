package vandar

// notifyRefund tells the business's notify_url about a refund row once its
// outcome is known (reference §1.11, §5: form-data POST with the settlement
// webhook's fields).
func (p *Provider) notifyRefund(b businessRow, row refundRow) {
	if row.NotifyURL == "" {
		return
	}
	p.log.Info("vandar: refund webhook pending the engine's sender", "business", b.Name, "refund", row.ID, "url", row.NotifyURL)
}
