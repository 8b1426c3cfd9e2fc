/// A syntactically valid e-mail address, trimmed and lower-cased, with what a sender needs to know about it.
public struct EmailAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The normalized address: `local@domain`, lower case.
    public let value: String

    public var localPart: Substring { value[..<value.lastIndex(of: "@")!] }
    public var domain: Substring { value[value.index(after: value.lastIndex(of: "@")!)...] }
    public var description: String { value }

    /// A shared mailbox (info@, sales@…) rather than a person's.
    public var isRoleAccount: Bool { EmailAddress.roleLocalParts.contains(String(localPart)) }
    /// A throwaway-mail provider's domain.
    public var isDisposable: Bool { DisposableDomains.contains(String(domain)) }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case missingAt
        case tooLong(Int)
        case localPartTooLong(Int)
        case invalidLocalPart
        case invalidDomain

        public var description: String {
            switch self {
            case .empty: "e-mail is empty"
            case .missingAt: "e-mail has no single @"
            case .tooLong(let n): "e-mail is \(n) characters long; at most 254 are allowed (RFC 5321)"
            case .localPartTooLong(let n):
                "e-mail local part is \(n) characters long; at most 64 are allowed (RFC 5321)"
            case .invalidLocalPart: "e-mail local part has characters that are not allowed"
            case .invalidDomain: "e-mail domain is not a valid host name"
            }
        }
    }

    /// Trims, strips a `mailto:` prefix and angle brackets, lower-cases, and checks the syntax that real
    /// mail systems accept (dot-atom local part, a host name with a top-level domain).
    public init(parsing raw: String) throws(Problem) {
        var text = raw.trimmingWhitespace()
        if text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)) }
        if text.hasPrefix("<") && text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        text = text.lowercased()
        guard !text.isEmpty else { throw .empty }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .missingAt }
        let (local, host) = (parts[0], parts[1])
        // RFC 5321 4.5.3.1: 64 octets of local part; 254 for the path as used in practice.
        guard text.utf8.count <= 254 else { throw .tooLong(text.utf8.count) }
        guard local.utf8.count <= 64 else { throw .localPartTooLong(local.utf8.count) }
        guard EmailAddress.isDotAtom(local) else { throw .invalidLocalPart }
        guard let domain = try? Domain(parsing: String(host)), domain.value == host else { throw .invalidDomain }
        value = text
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { self = try EmailAddress(parsing: raw) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    private static let atomExtras: Set<Character> = [
        "!", "#", "$", "%", "&", "'", "*", "+", "-", "/", "=", "?", "^", "_", "`", "{", "|", "}", "~",
    ]

    private static func isDotAtom(_ local: Substring) -> Bool {
        guard !local.isEmpty, local.first != ".", local.last != ".", !local.contains("..") else { return false }
        return local.allSatisfy { ch in
            ch == "." || atomExtras.contains(ch) || (ch.isASCII && (ch.isLetter || ch.isNumber))
        }
    }

    static let roleLocalParts: Set<String> = [
        "abuse", "accounting", "accounts", "admin", "administrator", "billing", "careers", "contact",
        "customerservice", "enquiries", "finance", "hello", "help", "hostmaster", "hr", "info", "inquiries",
        "investors", "jobs", "legal", "marketing", "media", "noc", "no-reply", "noreply", "office", "orders",
        "postmaster", "press", "privacy", "recruiting", "sales", "security", "service", "support", "team",
        "webmaster",
    ]
}
