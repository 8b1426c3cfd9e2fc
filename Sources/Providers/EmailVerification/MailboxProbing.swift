import LeadgenCore

/// Probing a domain's mail exchangers for one mailbox: the most preferred first, the next when one cannot
/// be reached, each exchanger's address checked against the outbound policy (an address's domain is the
/// sender's to choose, and its MX may point anywhere, this machine's network included).
public struct MailboxProbing: Sendable {
    public typealias Lookup = EmailVerifier.Lookup

    let probe: SMTPProbe
    /// Whether the probe may connect to this IP address (the outbound policy).
    let allowed: @Sendable (String) -> Bool
    /// Exchangers tried at most.
    let attempts: Int
    /// How fast each exchanger is asked.
    let pacing: ExchangerPacing

    public init(
        probe: SMTPProbe, allowed: @escaping @Sendable (String) -> Bool, attempts: Int = 2,
        pacing: ExchangerPacing? = nil
    ) {
        self.probe = probe
        self.allowed = allowed
        self.attempts = max(1, min(attempts, 5))
        self.pacing = pacing ?? ExchangerPacing(perSecond: probe.options.perExchangerPerSecond)
    }

    /// The outcome for `address` from its exchangers, or why none could say.
    func verdict(
        _ address: EmailAddress, exchangers: [String], lookup: Lookup
    ) async -> (EmailVerification.Outcome, String) {
        var failures: [String] = []
        for exchanger in exchangers.prefix(attempts) {
            let ip: String
            do {
                let answer = try await lookup(exchanger, .a)
                guard
                    let first = answer.answers.compactMap({ answer -> String? in
                        guard case .a(let bytes) = answer.record, bytes.count == 4 else { return nil }
                        return bytes.map(String.init).joined(separator: ".")
                    }).first
                else {
                    failures.append("\(exchanger) has no IPv4 address")
                    continue
                }
                ip = first
            } catch {
                failures.append("\(exchanger): DNS: \(error)")
                continue
            }
            guard allowed(ip) else {
                return (
                    .unknown, "the mail exchanger \(exchanger) is at \(ip), which the outbound policy does not allow"
                )
            }
            do {
                try await pacing.wait(for: exchanger)
                let result = try await probe.probe(address, at: ip, host: exchanger)
                if case .temporary = result { await pacing.slowDown(exchanger, for: probe.options.backOff) }
                return Self.verdict(result)
            } catch {
                failures.append("\(error)")
            }
        }
        return (.unknown, "no mail exchanger could be asked: " + failures.joined(separator: "; "))
    }

    static func verdict(_ result: MailboxProbe) -> (EmailVerification.Outcome, String) {
        switch result {
        case .accepted: (.deliverable, "the mail server accepts the mailbox")
        case .catchAll: (.risky, "catch-all: the mail server accepts any address at the domain")
        case .rejected(let reply): (.undeliverable, "the mail server refuses the mailbox: \(reply)")
        case .full(let reply): (.risky, "the mailbox is full: \(reply)")
        case .temporary(let reply): (.unknown, "greylisted or busy, try again later: \(reply)")
        case .refusedProbe(let reply): (.unknown, "the mail server refused the probe: \(reply)")
        }
    }
}
