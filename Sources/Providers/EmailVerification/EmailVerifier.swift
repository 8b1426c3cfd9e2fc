import LeadgenCore

/// Verifies an address: its syntax, whether its domain exists and takes mail (MX, the implicit MX, null MX),
/// whether it is a role or disposable address, and, when probing is on, whether the mail server takes the
/// mailbox. Without probing an address that passes everything is `unknown`, "the mailbox was not probed".
public struct EmailVerifier: Sendable {
    public typealias Lookup = @Sendable (String, DNSMessage.RecordType) async throws -> DNSMessage.Response

    private let lookup: Lookup
    private let probing: MailboxProbing?

    public init(lookup: @escaping Lookup, probing: MailboxProbing? = nil) {
        self.lookup = lookup
        self.probing = probing
    }

    public init(client: DNSClient, probing: MailboxProbing? = nil) {
        self.init(lookup: { try await client.lookup($0, $1) }, probing: probing)
    }

    public func verify(_ raw: String) async -> EmailVerification {
        let address: EmailAddress
        do {
            address = try EmailAddress(parsing: raw)
        } catch {
            return EmailVerification(outcome: .undeliverable, reason: "syntax: \(error)")
        }
        let role = address.isRoleAccount
        let disposable = address.isDisposable
        func verdict(_ outcome: EmailVerification.Outcome, _ reason: String, _ exchangers: [String] = [])
            -> EmailVerification
        {
            EmailVerification(
                outcome: outcome, reason: reason, mailExchangers: exchangers, isRoleAccount: role,
                isDisposable: disposable)
        }
        switch await mailDomain(String(address.domain)) {
        case .doesNotExist: return verdict(.undeliverable, "the domain does not exist")
        case .acceptsNoMail(let reason): return verdict(.undeliverable, reason)
        case .lookupFailed(let reason): return verdict(.unknown, reason)
        case .acceptsMail(let exchangers):
            if disposable { return verdict(.risky, "a disposable-mail domain", exchangers) }
            if role { return verdict(.risky, "a role account, not a person's mailbox", exchangers) }
            guard let probing else {
                return verdict(.unknown, "the domain accepts mail; the mailbox was not probed", exchangers)
            }
            let (outcome, reason) = await probing.verdict(address, exchangers: exchangers, lookup: lookup)
            return verdict(outcome, reason, exchangers)
        }
    }

    /// Where the domain's mail goes, if anywhere.
    func mailDomain(_ domain: String) async -> MailDomain {
        do {
            if let decided = MailDomain.fromMXAnswer(try await lookup(domain, .mx)) { return decided }
            var answers: [DNSMessage.Response] = []
            for type in [DNSMessage.RecordType.a, .aaaa] { answers.append(try await lookup(domain, type)) }
            return MailDomain.fromAddressAnswers(domain: domain, answers)
        } catch {
            return .lookupFailed(reason: "DNS: \(error)")
        }
    }
}
