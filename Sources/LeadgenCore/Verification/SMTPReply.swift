/// A reply of an SMTP server (RFC 5321 §4.2): a three-digit code and one or more lines of text, the
/// enhanced status code (RFC 3463, "5.1.1") when the server gives one.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    public var isPositive: Bool { (200..<300).contains(code) }
    public var isTransient: Bool { (400..<500).contains(code) }
    public var isPermanent: Bool { (500..<600).contains(code) }

    /// "5.1.1" from "5.1.1 <x@y>: Recipient address rejected", when the first line starts with one.
    public var enhancedStatus: String? {
        guard let first = lines.first?.split(separator: " ", maxSplits: 1).first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, ["2", "4", "5"].contains(parts[0]),
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return String(first)
    }

    /// The code and the first line, at most 200 characters: what a reason quotes.
    public var description: String { "\(code) \(lines.first?.prefix(200) ?? "")" }
}

/// Reads SMTP replies from bytes as they arrive. A line is at most 1,000 bytes with its CRLF (RFC 5321
/// §4.5.3.1.5 says 512; servers send longer), a reply at most 100 lines; anything else is refused.
public struct SMTPReplyReader: Sendable {
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case lineTooLong
        case tooManyLines
        case notAReply(String)

        public var description: String {
            switch self {
            case .lineTooLong: "the mail server sent a line longer than 1000 bytes"
            case .tooManyLines: "the mail server sent a reply of more than 100 lines"
            case .notAReply(let line): "the mail server sent something that is not a reply: '\(line.prefix(60))'"
            }
        }
    }

    private var buffer: [UInt8] = []
    private var pending: [String] = []
    private var pendingCode: Int?

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete reply, or nil until more bytes arrive.
    public mutating func next() throws(Problem) -> SMTPReply? {
        while let newline = buffer.firstIndex(of: 10) {
            guard newline < 1000 else { throw .lineTooLong }
            var line = Array(buffer[..<newline])
            buffer.removeFirst(newline + 1)
            if line.last == 13 { line.removeLast() }
            let text = String(decoding: line, as: UTF8.self)
            // "250-text" continues, "250 text" or "250" ends the reply.
            guard line.count >= 3, line[0...2].allSatisfy({ $0 >= 48 && $0 <= 57 }),
                line.count == 3 || line[3] == 32 || line[3] == 45,
                let code = Int(String(decoding: line[0...2], as: UTF8.self))
            else { throw .notAReply(text) }
            if let pendingCode, pendingCode != code { throw .notAReply(text) }
            pendingCode = code
            pending.append(line.count > 4 ? String(text.dropFirst(4)) : "")
            guard pending.count <= 100 else { throw .tooManyLines }
            if line.count == 3 || line[3] == 32 {
                let reply = SMTPReply(code: code, lines: pending)
                pending = []
                pendingCode = nil
                return reply
            }
        }
        guard buffer.count < 1000 else { throw .lineTooLong }
        return nil
    }
}
