/// Reads a `multipart/form-data` body (RFC 7578 over RFC 2046) as it streams in, in pieces of any size:
/// each part's header fields, then its bytes as they arrive, then its end. It holds at most one part's
/// headers and a delimiter's worth of body in memory, and any byte sequence is either read or refused with
/// `MultipartError` — never a trap (the parser of the library used before trapped on a byte above 127 in a
/// header name).
public struct MultipartParser {
    public struct Handlers {
        /// A part's header fields, names lower-cased, before its body.
        public var onPartStart: ([(name: String, value: String)]) -> Void
        public var onBody: (ArraySlice<UInt8>) -> Void
        public var onPartEnd: () -> Void

        public init(
            onPartStart: @escaping ([(name: String, value: String)]) -> Void,
            onBody: @escaping (ArraySlice<UInt8>) -> Void, onPartEnd: @escaping () -> Void
        ) {
            self.onPartStart = onPartStart
            self.onBody = onBody
            self.onPartEnd = onPartEnd
        }
    }

    /// The longest header section of one part, and the most fields in it.
    public static let maxHeaderBytes = 16 * 1024
    public static let maxHeaderFields = 64

    enum State {
        /// Before the first delimiter (the preamble is ignored).
        case preamble
        /// Just after a delimiter: `--` closes the body, else a line break opens a part.
        case afterDelimiter
        case headers
        case body
        /// After the closing delimiter: the epilogue is ignored.
        case done
    }

    /// "--boundary", and "\r\n--boundary" as it appears before every delimiter but the first.
    let dashBoundary: [UInt8]
    let delimiter: [UInt8]
    var state = State.preamble
    /// Bytes received and not yet read.
    var pending: [UInt8] = []
    var handlers: Handlers

    /// `boundary` as the Content-Type gives it (1 to 70 characters, RFC 2046 §5.1.1).
    public init(boundary: String, handlers: Handlers) throws(MultipartError) {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), !bytes.contains(13), !bytes.contains(10) else {
            throw .invalidBoundary
        }
        dashBoundary = Array("--".utf8) + bytes
        delimiter = [13, 10] + dashBoundary
        self.handlers = handlers
    }

    /// Reads the next piece of the body.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(MultipartError) {
        pending.append(contentsOf: bytes)
        while try step() {}
        // Whatever was read is dropped; the rest waits for more bytes.
    }

    /// Ends the body: it must have been closed by its final delimiter.
    public mutating func finish() throws(MultipartError) {
        guard case .done = state else { throw .truncated }
    }

    /// Reads as much of `pending` as it can in the current state; false when it needs more bytes.
    mutating func step() throws(MultipartError) -> Bool {
        switch state {
        case .preamble:
            // The first delimiter may open the body, without the line break before it.
            if pending.starts(with: dashBoundary) {
                pending.removeFirst(dashBoundary.count)
                state = .afterDelimiter
                return true
            }
            guard let found = Self.find(delimiter, in: pending) else {
                // Keep what could be the start of a delimiter.
                let keep = min(pending.count, delimiter.count - 1)
                pending.removeFirst(pending.count - keep)
                return false
            }
            pending.removeFirst(found + delimiter.count)
            state = .afterDelimiter
            return true
        case .afterDelimiter:
            guard pending.count >= 2 else { return false }
            if pending[0] == UInt8(ascii: "-"), pending[1] == UInt8(ascii: "-") {
                pending.removeAll()
                state = .done
                return false
            }
            // Transport padding (spaces and tabs) may follow a delimiter before its line break.
            var index = 0
            while index < pending.count, pending[index] == 32 || pending[index] == 9 {
                index += 1
                guard index <= 256 else { throw .malformed("a delimiter is followed by too much white space") }
            }
            guard index + 1 < pending.count else { return false }
            guard pending[index] == 13, pending[index + 1] == 10 else {
                throw .malformed("a delimiter is not followed by a line break")
            }
            pending.removeFirst(index + 2)
            state = .headers
            return true
        case .headers:
            // A part with no header fields starts its body right after the blank line.
            guard let end = pending.starts(with: [13, 10]) ? -2 : Self.find([13, 10, 13, 10], in: pending)
            else {
                guard pending.count <= Self.maxHeaderBytes else { throw .malformed("a part's headers are too long") }
                return false
            }
            guard end + 4 <= Self.maxHeaderBytes else { throw .malformed("a part's headers are too long") }
            let fields = end < 0 ? [] : try Self.headerFields(pending[0..<end])
            pending.removeFirst(end + 4)
            handlers.onPartStart(fields)
            state = .body
            return true
        case .body:
            if let found = Self.find(delimiter, in: pending) {
                if found > 0 { handlers.onBody(pending[0..<found]) }
                handlers.onPartEnd()
                pending.removeFirst(found + delimiter.count)
                state = .afterDelimiter
                return true
            }
            // Everything but what could be the start of the next delimiter is the part's.
            let safe = pending.count - min(pending.count, delimiter.count - 1)
            if safe > 0 {
                handlers.onBody(pending[0..<safe])
                pending.removeFirst(safe)
            }
            return false
        case .done:
            pending.removeAll()
            return false
        }
    }

    /// `name: value` lines; names are tokens (RFC 9110 §5.6.2), values any text without a line break.
    static func headerFields(_ bytes: ArraySlice<UInt8>) throws(MultipartError) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            var line = line
            if line.last == 13 { line = line.dropLast() }
            guard !line.isEmpty else { continue }
            guard fields.count < maxHeaderFields else { throw .malformed("a part has too many header fields") }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw .malformed("a part's header line has no name")
            }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy(isTokenByte) else { throw .malformed("a part's header name is not a token") }
            let value = String(decoding: line[line.index(after: colon)...], as: UTF8.self)
            fields.append((String(decoding: name, as: UTF8.self).lowercased(), value.trimmingSpaces))
        }
        return fields
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// The first index where `needle` starts in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            guard let candidate = haystack[index...last].firstIndex(of: first) else { return nil }
            if haystack[candidate..<candidate + needle.count].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }
}

/// Why a multipart body cannot be read.
public enum MultipartError: Error, Equatable, CustomStringConvertible {
    case invalidBoundary
    case malformed(String)
    case truncated

    public var description: String {
        switch self {
        case .invalidBoundary: "the multipart boundary must be 1 to 70 characters"
        case .malformed(let reason): "the multipart/form-data body is malformed: \(reason)"
        case .truncated: "the multipart/form-data body ends before its closing boundary"
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
