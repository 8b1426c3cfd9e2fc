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
        var bytes = ASCIIBytes.lowercased(raw.trimmingWhitespace())
        if ASCIIBytes.hasPrefix(Array("mailto:".utf8), bytes) { bytes.removeFirst(7) }
        if bytes.first == UInt8(ascii: "<"), bytes.last == UInt8(ascii: ">") {
            bytes = Array(bytes.dropFirst().dropLast())
        }
        guard !bytes.isEmpty else { throw .empty }
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), bytes.lastIndex(of: UInt8(ascii: "@")) == at else {
            throw .missingAt
        }
        // RFC 5321 4.5.3.1: 64 octets of local part; 254 for the path as used in practice.
        guard bytes.count <= 254 else { throw .tooLong(bytes.count) }
        guard at <= 64 else { throw .localPartTooLong(at) }
        guard EmailAddress.isDotAtom(bytes[..<at]) else { throw .invalidLocalPart }
        let host = bytes[(at + 1)...]
        guard host.last != UInt8(ascii: "."), Domain.isHostName(host) else { throw .invalidDomain }
        value = String(decoding: bytes, as: UTF8.self)
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

    /// RFC 5322 dot-atom: ASCII letters, digits and `!#$%&'*+-/=?^_`{|}~`, dots only between atoms.
    private static func isDotAtom(_ local: ArraySlice<UInt8>) -> Bool {
        guard let first = local.first, let last = local.last, first != UInt8(ascii: "."), last != UInt8(ascii: ".")
        else { return false }
        var previousWasDot = false
        for byte in local {
            let isDot = byte == UInt8(ascii: ".")
            if isDot && previousWasDot { return false }
            previousWasDot = isDot
            guard isDot || ASCIIBytes.isLetter(byte) || ASCIIBytes.isDigit(byte) || atomExtras.contains(byte) else {
                return false
            }
        }
        return true
    }

    private static let atomExtras = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    static let roleLocalParts: Set<String> = [
        "abuse", "accounting", "accounts", "admin", "administrator", "billing", "careers", "contact",
        "customerservice", "enquiries", "finance", "hello", "help", "hostmaster", "hr", "info", "inquiries",
        "investors", "jobs", "legal", "marketing", "media", "noc", "no-reply", "noreply", "office", "orders",
        "postmaster", "press", "privacy", "recruiting", "sales", "security", "service", "support", "team",
        "webmaster",
    ]
}
