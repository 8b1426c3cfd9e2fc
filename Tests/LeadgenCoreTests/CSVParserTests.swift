import Testing

@testable import LeadgenCore

@Suite struct CSVParserTests {
    func parse(_ text: String, chunkSize: Int = 4096) -> [CSVRecord] {
        let bytes = Array(text.utf8)
        var offset = 0
        var reader = CSVReader {
            guard offset < bytes.count else { return nil }
            defer { offset += chunkSize }
            return Array(bytes[offset..<min(offset + chunkSize, bytes.count)])
        }
        var records: [CSVRecord] = []
        while let record = try! reader.next() { records.append(record) }
        return records
    }

    @Test func simpleRecords() {
        let records = parse("a,b,c\n1,2,3\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(records.map(\.line) == [1, 2])
    }

    @Test func lastLineWithoutLineBreak() {
        #expect(parse("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func emptyFields() {
        #expect(parse(",,\na,,b\n").map(\.fields) == [["", "", ""], ["a", "", "b"]])
    }

    @Test func quotedFieldsWithDelimitersQuotesAndLineBreaks() {
        let records = parse("name,note\n\"Doe, Jane\",\"said \"\"hi\"\"\nthen left\"\nnext,row\n")
        #expect(
            records.map(\.fields) == [["name", "note"], ["Doe, Jane", "said \"hi\"\nthen left"], ["next", "row"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func crlfLineEndsAndCRLFInsideQuotes() {
        let records = parse("a,b\r\n\"x\r\ny\",2\r\n3,4\r\n")
        #expect(records.map(\.fields) == [["a", "b"], ["x\r\ny", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func loneCRLineEnds() {
        #expect(parse("a,b\r1,2\r").map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func byteOrderMarkIsSkipped() {
        let records = parse("\u{FEFF}First Name,Email\nJane,j@x.com\n")
        #expect(records.first?.fields == ["First Name", "Email"])
    }

    @Test(arguments: [1, 2, 3, 7])
    func chunkBoundariesDoNotMatter(chunkSize: Int) {
        let text = "\u{FEFF}a,\"b\r\nc\"\r\n\"d\"\"e\",f\r\n"
        #expect(parse(text, chunkSize: chunkSize).map(\.fields) == [["a", "b\r\nc"], ["d\"e", "f"]])
    }

    @Test func blankLinesAreSkippedButCounted() {
        let records = parse("a\n\n\nb\n")
        #expect(records.map(\.fields) == [["a"], ["b"]])
        #expect(records.map(\.line) == [1, 4])
    }

    @Test func quoteInsideUnquotedFieldIsKept() {
        #expect(parse("5'10\" tall,x\n").first?.fields == ["5'10\" tall", "x"])
    }

    @Test func textAfterClosingQuoteIsReportedAndParsingGoesOn() {
        let records = parse("a,b\n\"x\"y,2\n3,4\n")
        #expect(records[1].problem == .textAfterClosingQuote(field: 1))
        #expect(records[1].line == 2)
        #expect(records[2].fields == ["3", "4"])
        #expect(records[2].problem == nil)
    }

    @Test func unterminatedQuoteAtEndOfFile() {
        let records = parse("a,b\n1,\"open\n2,3\n")
        #expect(records.count == 2)
        #expect(records[1].problem == .unterminatedQuote(field: 2))
        #expect(records[1].line == 2)
    }

    @Test func invalidUTF8IsReported() {
        var bytes = Array("a,b\n".utf8)
        bytes += [0x4A, 0xE9, 0x72, UInt8(ascii: ","), UInt8(ascii: "x"), UInt8(ascii: "\n")]
        var parser = CSVParser()
        var records: [CSVRecord] = []
        parser.feed(bytes, into: &records)
        parser.finish(into: &records)
        #expect(records[1].problem == .invalidUTF8(field: 1))
    }

    @Test func writerRoundTrips() {
        let fields = ["plain", "with,comma", "with \"quote\"", "multi\nline", " padded ", ""]
        let line = CSVWriter.line(fields)
        #expect(parse(line).first?.fields == fields)
    }
}
