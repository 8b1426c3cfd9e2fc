/// A company's internet domain ("acme.com"), lower case, without scheme, `www.`, port or path.
public struct Domain: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String
    public var description: String { value }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case invalid(String)

        public var description: String {
            switch self {
            case .empty: "domain is empty"
            case .invalid(let text): "'\(text)' is not a valid domain"
            }
        }
    }

    /// Accepts a bare domain or a website address: `https://www.Acme.com:443/about?x=1` gives `acme.com`.
    public init(parsing raw: String) throws(Problem) {
        var text = raw.trimmingWhitespace().lowercased()
        guard !text.isEmpty else { throw .empty }
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        if let end = text.firstIndex(where: { "/?#".contains($0) }) { text = String(text[..<end]) }
        if let at = text.lastIndex(of: "@") { text = String(text[text.index(after: at)...]) }
        if let colon = text.lastIndex(of: ":") { text = String(text[..<colon]) }
        if text.hasSuffix(".") { text.removeLast() }
        if text.hasPrefix("www.") { text = String(text.dropFirst(4)) }
        guard Domain.isHostName(text) else { throw .invalid(raw.trimmingWhitespace()) }
        value = text
    }

    /// The domain of an e-mail address ("jane@acme.com" gives "acme.com").
    public init(email: EmailAddress) {
        value = String(email.domain)
    }

    /// Free-mail providers: their domain says nothing about a person's employer.
    public var isFreeMailProvider: Bool { Domain.freeMail.contains(value) }

    static func isHostName(_ text: String) -> Bool {
        guard text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2,
            tld.allSatisfy({ $0.isLetter }) || tld.hasPrefix("xn--")
        else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    static let freeMail: Set<String> = [
        "aol.com", "gmail.com", "googlemail.com", "gmx.com", "gmx.de", "gmx.net", "hotmail.co.uk", "hotmail.com",
        "hotmail.fr", "icloud.com", "live.com", "mac.com", "mail.com", "me.com", "msn.com", "orange.fr",
        "outlook.com", "proton.me", "protonmail.com", "t-online.de", "web.de", "yahoo.co.uk", "yahoo.com",
        "yahoo.fr", "yandex.com", "zoho.com",
    ]
}
