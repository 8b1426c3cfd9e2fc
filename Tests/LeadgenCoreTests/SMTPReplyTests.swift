import LeadgenCore
import Testing

/// SMTP replies as servers send them, in pieces, and what a probe's RCPT replies mean.
@Suite struct SMTPReplyTests {
    @Test func multilineRepliesAreReadWhateverTheChunks() throws {
        let text =
            "220 mx.example ESMTP\r\n250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n550 5.1.1 <x@y>: User unknown\r\n"
        for size in [1, 3, 7, 1000] {
            var reader = SMTPReplyReader()
            var replies: [SMTPReply] = []
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                reader.feed(bytes.prefix(size))
                bytes = bytes.dropFirst(size)
                while let reply = try reader.next() { replies.append(reply) }
            }
            #expect(replies.map(\.code) == [220, 250, 550], "chunks of \(size)")
            #expect(replies[1].lines == ["mx.example", "PIPELINING", "8BITMIME"])
            #expect(replies[2].enhancedStatus == "5.1.1")
            #expect(replies[0].enhancedStatus == nil)
        }
    }

    @Test func whatIsNotAReplyIsRefused() {
        var garbage = SMTPReplyReader()
        garbage.feed(Array("HTTP/1.1 400 Bad Request\r\n".utf8))
        #expect(throws: SMTPReplyReader.Problem.notAReply("HTTP/1.1 400 Bad Request")) { try garbage.next() }
        var mixed = SMTPReplyReader()
        mixed.feed(Array("250-a\r\n550 b\r\n".utf8))
        #expect(throws: SMTPReplyReader.Problem.self) { try mixed.next() }
        var long = SMTPReplyReader()
        long.feed([UInt8](repeating: 0x35, count: 1500))
        #expect(throws: SMTPReplyReader.Problem.lineTooLong) { try long.next() }
        var many = SMTPReplyReader()
        many.feed(Array(String(repeating: "250-x\r\n", count: 101).utf8))
        #expect(throws: SMTPReplyReader.Problem.tooManyLines) { try many.next() }
    }

    @Test func rcptRepliesAreClassified() {
        func reply(_ text: String) -> SMTPReply {
            SMTPReply(code: Int(text.prefix(3)) ?? 0, lines: [String(text.dropFirst(4))])
        }
        let ok = reply("250 2.1.5 Ok")
        #expect(MailboxProbe.classify(address: ok, madeUp: reply("550 5.1.1 unknown")) == .accepted)
        #expect(MailboxProbe.classify(address: ok, madeUp: ok) == .catchAll)
        let unknown = reply("550 5.1.1 <a@b>: User unknown")
        #expect(MailboxProbe.classify(address: unknown, madeUp: nil) == .rejected(unknown))
        let plain550 = reply("550 No such user here")
        #expect(MailboxProbe.classify(address: plain550, madeUp: nil) == .rejected(plain550))
        let full = reply("552 5.2.2 Mailbox full")
        #expect(MailboxProbe.classify(address: full, madeUp: nil) == .full(full))
        let grey = reply("451 4.7.1 Greylisted")
        #expect(MailboxProbe.classify(address: grey, madeUp: nil) == .temporary(grey))
        let blocked = reply("550 5.7.1 client host blocked")
        #expect(MailboxProbe.classify(address: blocked, madeUp: nil) == .refusedProbe(blocked))
    }
}
