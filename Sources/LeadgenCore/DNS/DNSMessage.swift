/// The DNS wire format (RFC 1035) for the few questions e-mail verification asks: a query for one name and
/// type, and the records of an answer (MX, A, AAAA, CNAME). Parsing never trusts the bytes: every length
/// and offset is checked, a name may follow at most 32 compression pointers, and at most 200 records are
/// read.
public enum DNSMessage {
    public enum RecordType: UInt16, Sendable, CaseIterable {
        case a = 1
        case cname = 5
        case mx = 15
        case aaaa = 28
    }

    /// RFC 1035 §4.1.1 response codes that matter here.
    public enum ResponseCode: Sendable, Equatable {
        case noError
        case formatError
        case serverFailure
        case nameError
        case notImplemented
        case refused
        case other(UInt8)

        init(_ value: UInt8) {
            switch value {
            case 0: self = .noError
            case 1: self = .formatError
            case 2: self = .serverFailure
            case 3: self = .nameError
            case 4: self = .notImplemented
            case 5: self = .refused
            default: self = .other(value)
            }
        }
    }

    public enum Record: Sendable, Equatable {
        case mx(preference: UInt16, exchange: String)
        case a([UInt8])
        case aaaa([UInt8])
        case cname(String)
    }

    public struct Response: Sendable, Equatable {
        public var id: UInt16
        /// The answer was cut to fit a UDP datagram; ask again over TCP.
        public var truncated: Bool
        public var code: ResponseCode
        /// The answer section's records of a type this parser knows, with their owner names.
        public var answers: [(name: String, record: Record)]

        public init(id: UInt16, truncated: Bool, code: ResponseCode, answers: [(name: String, record: Record)]) {
            self.id = id
            self.truncated = truncated
            self.code = code
            self.answers = answers
        }

        public static func == (a: Response, b: Response) -> Bool {
            a.id == b.id && a.truncated == b.truncated && a.code == b.code
                && a.answers.map(\.name) == b.answers.map(\.name) && a.answers.map(\.record) == b.answers.map(\.record)
        }
    }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case invalidName(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .invalidName(let reason): "not a DNS name: \(reason)"
            case .malformed(let reason): "malformed DNS message: \(reason)"
            }
        }
    }

    /// Advertised UDP payload size (EDNS0, RFC 6891): the DNS flag day 2020 recommendation.
    public static let udpPayloadSize: UInt16 = 1232
    static let maxRecords = 200
    static let maxPointers = 32

    /// A recursive query for `name` and `type`, with an EDNS0 record so answers up to 1232 bytes fit in UDP.
    public static func query(id: UInt16, name: String, type: RecordType) throws(Problem) -> [UInt8] {
        var bytes: [UInt8] = []
        append16(id, to: &bytes)
        append16(0x0100, to: &bytes)  // a standard query, recursion desired
        for count: UInt16 in [1, 0, 0, 1] { append16(count, to: &bytes) }
        bytes += try encode(name: name)
        append16(type.rawValue, to: &bytes)
        append16(1, to: &bytes)  // class IN
        // OPT pseudo-record: root name, type 41, class = payload size, extended flags 0, no options.
        bytes.append(0)
        append16(41, to: &bytes)
        append16(udpPayloadSize, to: &bytes)
        bytes += [0, 0, 0, 0, 0, 0]
        return bytes
    }

    /// A name as length-prefixed labels: letters, digits, hyphens and underscores, 1 to 63 bytes a label,
    /// at most 253 characters; a trailing dot is allowed.
    static func encode(name: String) throws(Problem) -> [UInt8] {
        let text = name.hasSuffix(".") ? String(name.dropLast()) : name
        guard !text.isEmpty, text.utf8.count <= 253 else { throw .invalidName("it must have 1 to 253 characters") }
        var bytes: [UInt8] = []
        for label in text.split(separator: ".", omittingEmptySubsequences: false) {
            let utf8 = Array(label.utf8)
            guard (1...63).contains(utf8.count) else { throw .invalidName("a label must have 1 to 63 characters") }
            guard utf8.allSatisfy({ isLabelByte($0) }) else {
                throw .invalidName("'\(label.prefix(63))' has characters other than letters, digits and hyphens")
            }
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes.append(0)
        return bytes
    }

    static func isLabelByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x5F
    }

    static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    /// Reads a response. Records of other types and other sections are skipped.
    public static func parse(_ bytes: [UInt8]) throws(Problem) -> Response {
        var reader = Reader(bytes: bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        guard flags & 0x8000 != 0 else { throw .malformed("it is a query, not a response") }
        let questions = Int(try reader.u16())
        let answerCount = Int(try reader.u16())
        _ = try reader.u16()
        _ = try reader.u16()
        guard questions <= 1 else { throw .malformed("\(questions) questions") }
        for _ in 0..<questions {
            _ = try reader.name()
            try reader.skip(4)
        }
        var answers: [(name: String, record: Record)] = []
        for _ in 0..<min(answerCount, maxRecords) {
            let owner = try reader.name()
            let type = try reader.u16()
            let recordClass = try reader.u16()
            try reader.skip(4)
            let length = Int(try reader.u16())
            let end = reader.offset + length
            guard end <= bytes.count else { throw .malformed("a record runs past the end") }
            defer { reader.offset = end }
            guard recordClass == 1, let known = RecordType(rawValue: type) else { continue }
            switch known {
            case .a:
                guard length == 4 else { throw .malformed("an A record of \(length) bytes") }
                answers.append((owner, .a(Array(bytes[reader.offset..<end]))))
            case .aaaa:
                guard length == 16 else { throw .malformed("an AAAA record of \(length) bytes") }
                answers.append((owner, .aaaa(Array(bytes[reader.offset..<end]))))
            case .mx:
                guard length >= 3 else { throw .malformed("an MX record of \(length) bytes") }
                let preference = try reader.u16()
                answers.append((owner, .mx(preference: preference, exchange: try reader.name())))
                guard reader.offset <= end else { throw .malformed("an MX name runs past its record") }
            case .cname:
                answers.append((owner, .cname(try reader.name())))
                guard reader.offset <= end else { throw .malformed("a CNAME runs past its record") }
            }
        }
        return Response(
            id: id, truncated: flags & 0x0200 != 0, code: ResponseCode(UInt8(flags & 0x000F)), answers: answers)
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func u16() throws(Problem) -> UInt16 {
            guard offset + 2 <= bytes.count else { throw .malformed("it ends early") }
            defer { offset += 2 }
            return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        }

        mutating func skip(_ count: Int) throws(Problem) {
            guard offset + count <= bytes.count else { throw .malformed("it ends early") }
            offset += count
        }

        /// A name at the current offset, following compression pointers (RFC 1035 §4.1.4); the offset moves
        /// past the name as written here. The root is "" ("." in MX is the null MX of RFC 7505).
        mutating func name() throws(Problem) -> String {
            var labels: [String] = []
            var position = offset
            var pointers = 0
            var length = 0
            var resumeAt: Int?
            while true {
                guard position < bytes.count else { throw .malformed("a name runs past the end") }
                let byte = bytes[position]
                if byte & 0xC0 == 0xC0 {
                    guard position + 1 < bytes.count else { throw .malformed("a name pointer is cut") }
                    pointers += 1
                    guard pointers <= DNSMessage.maxPointers else {
                        throw .malformed("a name follows too many pointers")
                    }
                    if resumeAt == nil { resumeAt = position + 2 }
                    position = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                    continue
                }
                guard byte & 0xC0 == 0 else { throw .malformed("a label type that is not used") }
                position += 1
                if byte == 0 { break }
                let end = position + Int(byte)
                guard end <= bytes.count else { throw .malformed("a label runs past the end") }
                length += Int(byte) + 1
                guard length <= 255 else { throw .malformed("a name longer than 255 bytes") }
                labels.append(String(decoding: bytes[position..<end], as: UTF8.self).lowercased())
                position = end
            }
            offset = resumeAt ?? position
            return labels.joined(separator: ".")
        }
    }
}
