/// What verification found out about an address: whether mail to it reaches someone, in the four outcomes
/// verification services use (reacher's safe / risky / invalid / unknown), and why.
public struct EmailVerification: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// The mailbox accepts mail.
        case deliverable
        /// Mail cannot arrive: bad syntax, no such domain, a domain that takes no mail, no such mailbox.
        case undeliverable
        /// Mail may arrive but sending is a gamble: a catch-all domain, a role or disposable address, a full
        /// mailbox.
        case risky
        /// Nothing certain could be learnt: DNS or the mail server failed, or the mailbox was not probed.
        case unknown
    }

    public var outcome: Outcome
    /// In words, for people: "the domain does not exist", "null MX: the domain accepts no mail".
    public var reason: String
    /// The hosts that take the domain's mail, most preferred first (the domain itself for an implicit MX).
    public var mailExchangers: [String]
    public var isRoleAccount: Bool
    public var isDisposable: Bool

    public init(
        outcome: Outcome, reason: String, mailExchangers: [String] = [], isRoleAccount: Bool = false,
        isDisposable: Bool = false
    ) {
        self.outcome = outcome
        self.reason = reason
        self.mailExchangers = mailExchangers
        self.isRoleAccount = isRoleAccount
        self.isDisposable = isDisposable
    }
}
