import LeadgenCore
import Testing

/// The multipart/form-data reader: parts, header fields and bodies whatever the size of the pieces the
/// body arrives in, and a clear error — never a trap — for what is not multipart.
@Suite struct MultipartParserTests {
    struct Part: Equatable {
        var fields: [String]
        var body: String
    }

    static func parse(_ body: String, boundary: String = "XyZ", piece: Int = .max) throws(MultipartError) -> [Part] {
        var parts: [Part] = []
        var current = Part(fields: [], body: "")
        var bytes: [UInt8] = []
        var parser = try MultipartParser(
            boundary: boundary,
            handlers: .init(
                onPartStart: { fields in current = Part(fields: fields.map { "\($0.name)=\($0.value)" }, body: "") },
                onBody: { bytes += $0 },
                onPartEnd: {
                    current.body = String(decoding: bytes, as: UTF8.self)
                    bytes = []
                    parts.append(current)
                }))
        let all = Array(body.utf8)
        var start = 0
        while start < all.count {
            let end = min(all.count, start + max(1, min(piece, all.count)))
            try parser.feed(all[start..<end])
            start = end
        }
        try parser.finish()
        return parts
    }

    static let upload =
        "preamble to ignore\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
        + "Content-Type: text/csv\r\n\r\nemail\r\na@b.co\r\n-XyZ\r\n--XyZ \t\r\n"
        + "Content-Disposition: form-data; name=\"text\"\r\n\r\nhello\r\n--XyZ--\r\nepilogue"

    @Test(arguments: [1, 2, 3, 7, 13, 64, Int.max])
    func partsAreTheSameWhateverThePieces(_ piece: Int) throws {
        let parts = try Self.parse(Self.upload, piece: piece)
        #expect(
            parts == [
                Part(
                    fields: [
                        "content-disposition=form-data; name=\"file\"; filename=\"a.csv\"", "content-type=text/csv",
                    ],
                    body: "email\r\na@b.co\r\n-XyZ"),
                Part(fields: ["content-disposition=form-data; name=\"text\""], body: "hello"),
            ])
    }

    @Test func aPartWithoutHeadersAndAnEmptyPartAreRead() throws {
        let parts = try Self.parse("--XyZ\r\n\r\nbare\r\n--XyZ\r\nA: b\r\n\r\n\r\n--XyZ--")
        #expect(parts == [Part(fields: [], body: "bare"), Part(fields: ["a=b"], body: "")])
    }

    @Test(arguments: [
        ("--XyZ\r\n\u{00E9}: x\r\n\r\nbody\r\n--XyZ--", "header name is not a token"),
        ("--XyZ\r\nno colon here\r\n\r\nbody\r\n--XyZ--", "header line has no name"),
        ("--XyZ\r\nA: b\r\n\r\nbody never closed", "ends before its closing boundary"),
        ("--XyZjunk\r\n\r\n--XyZ--", "not followed by a line break"),
        ("no delimiter at all", "ends before its closing boundary"),
    ])
    func malformedBodiesAreRefusedWithTheReason(_ body: String, _ reason: String) {
        #expect {
            _ = try Self.parse(body)
        } throws: { error in
            (error as? MultipartError)?.description.contains(reason) == true
        }
    }

    @Test func headersThatNeverEndAreRefusedBeforeTheyFillMemory() {
        let endless = "--XyZ\r\n" + String(repeating: "X-A: b\r\n", count: 4000)
        #expect(throws: MultipartError.malformed("a part's headers are too long")) { _ = try Self.parse(endless) }
    }

    @Test(arguments: ["", String(repeating: "b", count: 71), "a\r\nb"])
    func boundariesOutsideTheStandardAreRefused(_ boundary: String) {
        #expect(throws: MultipartError.invalidBoundary) { _ = try Self.parse("", boundary: boundary) }
    }
}
