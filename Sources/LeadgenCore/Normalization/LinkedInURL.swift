/// A canonical LinkedIn profile or company page address: `https://www.linkedin.com/in/jane-doe`.
public struct LinkedInURL: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case profile = "in"
        case company = "company"
    }

    public let kind: Kind
    /// The lower-cased identifier after `/in/` or `/company/`.
    public let slug: String

    public var value: String { "https://www.linkedin.com/\(kind.rawValue)/\(slug)" }
    public var description: String { value }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case notLinkedIn(String)
        case wrongKind(String)

        public var description: String {
            switch self {
            case .notLinkedIn(let text): "'\(text)' is not a LinkedIn profile or company address"
            case .wrongKind(let text): "'\(text)' is a LinkedIn address of the wrong kind"
            }
        }
    }

    /// Accepts any surface form: no scheme, `http`, `www.`, locale subdomains (`uk.linkedin.com`),
    /// trailing slashes, query strings, fragments, `/pub/` paths and mixed case.
    public init(parsing raw: String, expecting expected: Kind? = nil) throws(Problem) {
        let trimmed = raw.trimmingWhitespace()
        let bytes = ASCIIBytes.lowercased(trimmed)
        var start = 0
        if let scheme = ASCIIBytes.find(Array("://".utf8), in: bytes) { start = scheme + 3 }
        let end = bytes[start...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
        let segments = bytes[start..<end].split(separator: UInt8(ascii: "/"))
        guard segments.count >= 3, LinkedInURL.isLinkedInHost(segments[0]) else { throw .notLinkedIn(trimmed) }
        let kind: Kind
        switch String(decoding: segments[1], as: UTF8.self) {
        case "in", "pub": kind = .profile
        case "company", "school", "showcase": kind = .company
        default: throw .notLinkedIn(trimmed)
        }
        let slug = String(decoding: segments[2], as: UTF8.self).removingPercentEncodingIfPossible()
        guard !slug.isEmpty, slug.allSatisfy({ !$0.isWhitespace }) else { throw .notLinkedIn(trimmed) }
        if let expected, expected != kind { throw .wrongKind(trimmed) }
        self.kind = kind
        self.slug = slug
    }

    private static func isLinkedInHost(_ host: ArraySlice<UInt8>) -> Bool {
        let domain = Array("linkedin.com".utf8)
        return host.elementsEqual(domain)
            || (host.count > domain.count && host.suffix(domain.count + 1).elementsEqual([UInt8(ascii: ".")] + domain))
    }
}

extension String {
    /// Decodes `%XX` escapes byte by byte; a `%` without two hex digits after it stays as written, and text
    /// that is not UTF-8 once decoded stays as it was. The browser extension decodes the same way.
    fileprivate func removingPercentEncodingIfPossible() -> String {
        guard contains("%") else { return self }
        let source = Array(utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "%"), index + 2 < source.count,
                let high = ASCIIBytes.hexValue(source[index + 1]), let low = ASCIIBytes.hexValue(source[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)?.lowercased() ?? self
    }
}
