/// What an SMTP probe learnt about a mailbox from the server's answers to `RCPT TO` for the address and
/// for a made-up address at the same domain (which a catch-all server accepts as readily).
public enum MailboxProbe: Sendable, Equatable {
    /// The server accepts the address and refuses a made-up one.
    case accepted
    /// The server accepts any address at the domain: the probe cannot tell.
    case catchAll
    /// The server says the mailbox does not exist or is disabled.
    case rejected(SMTPReply)
    /// The mailbox exists but is full.
    case full(SMTPReply)
    /// A temporary refusal (greylisting, a busy server): ask again later.
    case temporary(SMTPReply)
    /// The server refused the probe itself (policy, a blocklisted sender), not the mailbox.
    case refusedProbe(SMTPReply)

    /// Classifies the replies to `RCPT TO` for the address and, when asked, for a made-up local part.
    public static func classify(address: SMTPReply, madeUp: SMTPReply?) -> MailboxProbe {
        let status = address.enhancedStatus
        if address.isPositive {
            return madeUp?.isPositive == true ? .catchAll : .accepted
        }
        // Mailbox full: 452 / 552, or the 4.2.2 / 5.2.2 status (RFC 3463).
        if address.code == 452 || address.code == 552 || status == "4.2.2" || status == "5.2.2" {
            return .full(address)
        }
        if address.isTransient { return .temporary(address) }
        // Policy refusals (5.7.x) say nothing about the mailbox.
        if let status, status.hasPrefix("5.7.") { return .refusedProbe(address) }
        if [550, 551, 553].contains(address.code) || status?.hasPrefix("5.1.") == true || status == "5.2.1" {
            return .rejected(address)
        }
        return .refusedProbe(address)
    }
}
