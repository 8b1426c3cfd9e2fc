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
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        let bytes = ASCIIBytes.lowercased(trimmed)
        var start = 0
        var end = bytes.count
        if let scheme = ASCIIBytes.find(Array("://".utf8), in: bytes) { start = scheme + 3 }
        if let cut = bytes[start...].firstIndex(where: {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        }) {
            end = cut
        }
        if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")) { start = at + 1 }
        if let colon = bytes[start..<end].lastIndex(of: UInt8(ascii: ":")) { end = colon }
        if end > start, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        if ASCIIBytes.hasPrefix(Array("www.".utf8), bytes, at: start), end - start > 4 { start += 4 }
        guard start < end, Domain.isHostName(bytes[start..<end]) else { throw .invalid(trimmed) }
        value = ASCIIBytes.string(bytes, start..<end)
    }

    /// The domain of an e-mail address ("jane@acme.com" gives "acme.com").
    public init(email: EmailAddress) {
        value = String(email.domain)
    }

    /// Free-mail providers: their domain says nothing about a person's employer.
    public var isFreeMailProvider: Bool { Domain.freeMail.contains(value) }

    /// Dot-separated labels of letters, digits and inner hyphens (bytes of 0x80 and above count as letters,
    /// for internationalized names), at most 253 bytes, and a top-level domain of two or more letters.
    static func isHostName(_ host: ArraySlice<UInt8>) -> Bool {
        guard host.count <= 253 else { return false }
        var labels = 0
        var labelStart = host.startIndex
        var lastLabelIsAlphabetic = true
        var index = host.startIndex
        while index <= host.endIndex {
            if index == host.endIndex || host[index] == UInt8(ascii: ".") {
                let length = index - labelStart
                guard (1...63).contains(length), host[labelStart] != UInt8(ascii: "-"),
                    host[index - 1] != UInt8(ascii: "-")
                else { return false }
                labels += 1
                if index == host.endIndex {
                    let label = host[labelStart..<index]
                    let isPunycode = label.starts(with: Array("xn--".utf8))
                    lastLabelIsAlphabetic =
                        isPunycode || (length >= 2 && label.allSatisfy { $0 >= 0x80 || ASCIIBytes.isLetter($0) })
                }
                labelStart = index + 1
            } else {
                let byte = host[index]
                guard byte >= 0x80 || ASCIIBytes.isLetter(byte) || ASCIIBytes.isDigit(byte) || byte == UInt8(ascii: "-")
                else { return false }
            }
            index += 1
        }
        return labels >= 2 && lastLabelIsAlphabetic
    }

    static let freeMail: Set<String> = [
        "aol.com", "gmail.com", "googlemail.com", "gmx.com", "gmx.de", "gmx.net", "hotmail.co.uk", "hotmail.com",
        "hotmail.fr", "icloud.com", "live.com", "mac.com", "mail.com", "me.com", "msn.com", "orange.fr",
        "outlook.com", "proton.me", "protonmail.com", "t-online.de", "web.de", "yahoo.co.uk", "yahoo.com",
        "yahoo.fr", "yandex.com", "zoho.com",
    ]
}
