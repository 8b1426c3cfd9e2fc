import LeadgenCore
import Testing

/// The DNS wire format: a query byte for byte, and answers read from bytes written by hand, hostile ones
/// included.
@Suite struct DNSMessageTests {
    @Test func aQueryIsWrittenAsRFC1035AndRFC6891Say() throws {
        let bytes = try DNSMessage.query(id: 0xBEEF, name: "mx.example.", type: .mx)
        let header: [UInt8] = [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
        let question: [UInt8] = [2, 0x6D, 0x78, 7] + Array("example".utf8) + [0, 0, 15, 0, 1]
        let opt: [UInt8] = [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
        #expect(bytes == header + question + opt)
        #expect(throws: DNSMessage.Problem.self) { try DNSMessage.query(id: 1, name: "", type: .a) }
        #expect(throws: DNSMessage.Problem.self) { try DNSMessage.query(id: 1, name: "a..b", type: .a) }
        #expect(throws: DNSMessage.Problem.self) {
            try DNSMessage.query(id: 1, name: String(repeating: "abcdefg.", count: 40) + "com", type: .a)
        }
    }

    /// An answer to "example.com MX" whose records point back at the question's name (offset 12).
    static let answer: [UInt8] = {
        var bytes: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 0]
        bytes += [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0, 0, 15, 0, 1]
        // MX 10 mail.example.com: "mail" then a pointer to offset 12.
        bytes += [0xC0, 12, 0, 15, 0, 1, 0, 0, 14, 16, 0, 9, 0, 10, 4] + Array("mail".utf8) + [0xC0, 12]
        // A record for the same owner.
        bytes += [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1]
        // A TXT record, skipped.
        bytes += [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 3, 2, 0x68, 0x69]
        return bytes
    }()

    @Test func answersAreReadThroughCompressionPointers() throws {
        let response = try DNSMessage.parse(Self.answer)
        #expect(response.id == 0x1234 && response.code == .noError && !response.truncated)
        #expect(response.answers.map(\.name) == ["example.com", "example.com"])
        #expect(
            response.answers.map(\.record) == [.mx(preference: 10, exchange: "mail.example.com"), .a([192, 0, 2, 1])])
    }

    @Test func hostileAnswersAreRefusedNotTrusted() {
        var loop = Self.answer
        loop[29] = 0xC0  // the first record's owner: a pointer to itself
        loop[30] = 29
        #expect(throws: DNSMessage.Problem.malformed("a name follows too many pointers")) { try DNSMessage.parse(loop) }
        #expect(throws: DNSMessage.Problem.malformed("it ends early")) {
            try DNSMessage.parse(Array(Self.answer.prefix(7)))
        }
        var longRecord = Self.answer
        longRecord[39] = 0xFF  // the MX record claims 255 more bytes than there are
        #expect(throws: DNSMessage.Problem.malformed("a record runs past the end")) { try DNSMessage.parse(longRecord) }
        var query = Self.answer
        query[2] = 0x01
        #expect(throws: DNSMessage.Problem.malformed("it is a query, not a response")) { try DNSMessage.parse(query) }
        var nxdomain = Self.answer
        nxdomain[3] = 0x83
        #expect((try? DNSMessage.parse(nxdomain))?.code == .nameError)
    }
}
