/// Whether a domain takes mail, and where, from its DNS answers: MX records, or failing those the domain's
/// own address records (RFC 5321 §5.1, the "implicit MX"); a single MX of preference 0 whose exchange is
/// the root says the domain takes none (RFC 7505, null MX).
public enum MailDomain: Sendable, Equatable {
    case acceptsMail(exchangers: [String])
    case acceptsNoMail(reason: String)
    case doesNotExist
    case lookupFailed(reason: String)

    /// Reads the answer to the MX question. Returns nil when the domain exists but has no MX: then its
    /// address records decide (`fromAddressAnswers`).
    public static func fromMXAnswer(_ response: DNSMessage.Response) -> MailDomain? {
        switch response.code {
        case .noError: break
        case .nameError: return .doesNotExist
        case .serverFailure: return .lookupFailed(reason: "the DNS server failed to answer for the domain (SERVFAIL)")
        case .refused: return .lookupFailed(reason: "the DNS server refused the question")
        case .formatError, .notImplemented, .other:
            return .lookupFailed(reason: "the DNS server could not answer the question")
        }
        let exchangers = response.answers.compactMap { answer -> (UInt16, String)? in
            guard case .mx(let preference, let exchange) = answer.record else { return nil }
            return (preference, exchange)
        }
        guard !exchangers.isEmpty else { return nil }
        let real = exchangers.filter { !$0.1.isEmpty }
        guard !real.isEmpty else {
            return .acceptsNoMail(reason: "null MX: the domain says it accepts no mail (RFC 7505)")
        }
        // Most preferred first; among equals, by name, so the order does not depend on the server's.
        let ordered = real.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var seen = Set<String>()
        return .acceptsMail(exchangers: ordered.map(\.1).filter { seen.insert($0).inserted })
    }

    /// Decides for a domain without MX records from the answers to its A and AAAA questions.
    public static func fromAddressAnswers(domain: String, _ responses: [DNSMessage.Response]) -> MailDomain {
        let hasAddress = responses.contains { response in
            response.code == .noError
                && response.answers.contains {
                    if case .a = $0.record { return true }
                    if case .aaaa = $0.record { return true }
                    return false
                }
        }
        if hasAddress { return .acceptsMail(exchangers: [domain]) }
        if responses.contains(where: { $0.code == .serverFailure || $0.code == .refused }) {
            return .lookupFailed(reason: "the DNS server failed to answer for the domain's addresses")
        }
        return .acceptsNoMail(reason: "the domain has no MX and no address records")
    }
}
