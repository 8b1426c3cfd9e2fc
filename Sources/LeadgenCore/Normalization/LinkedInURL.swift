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
    fileprivate func removingPercentEncodingIfPossible() -> String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)?.lowercased() ?? self
    }
}
