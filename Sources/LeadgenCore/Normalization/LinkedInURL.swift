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
        var text = trimmed.lowercased()
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        if let end = text.firstIndex(where: { "?#".contains($0) }) { text = String(text[..<end]) }
        let segments = text.split(separator: "/")
        guard let host = segments.first,
            host == "linkedin.com" || host.hasSuffix(".linkedin.com"),
            segments.count >= 3
        else { throw .notLinkedIn(trimmed) }
        let kind: Kind
        switch segments[1] {
        case "in", "pub": kind = .profile
        case "company", "school", "showcase": kind = .company
        default: throw .notLinkedIn(trimmed)
        }
        let slug = String(segments[2]).removingPercentEncodingIfPossible()
        guard !slug.isEmpty, slug.allSatisfy({ !$0.isWhitespace }) else { throw .notLinkedIn(trimmed) }
        if let expected, expected != kind { throw .wrongKind(trimmed) }
        self.kind = kind
        self.slug = slug
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
