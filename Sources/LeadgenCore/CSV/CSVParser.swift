/// A push parser for RFC 4180 CSV that turns byte chunks into records, in constant memory per record.
///
/// Handles quoted fields with delimiters, doubled quotes and line breaks, CRLF, LF and lone-CR line ends,
/// a UTF-8 byte order mark, and blank lines (skipped). A malformed record is returned with its `problem`
/// set, and parsing goes on with the next line, so one bad row never hides the rows after it.
public struct CSVParser: Sendable {
    private enum State: Sendable {
        case fieldStart, unquoted, quoted, quoteInQuoted, skippingBadField
    }

    private let delimiter: UInt8
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var problem: CSVProblem?
    private var line = 1
    private var recordLine = 1
    private var afterCR = false
    private var bomBytesSeen = 0
    private var pastBOM = false

    public init(delimiter: UInt8 = UInt8(ascii: ",")) {
        self.delimiter = delimiter
        field.reserveCapacity(64)
    }

    /// Parses the next chunk of the input, appending every record it completes.
    public mutating func feed(_ bytes: some Sequence<UInt8>, into records: inout [CSVRecord]) {
        for byte in bytes {
            if !pastBOM, skipBOM(byte) { continue }
            consume(byte, into: &records)
        }
    }

    /// Ends the input, appending the last record when the file does not end with a line break.
    public mutating func finish(into records: inout [CSVRecord]) {
        if !pastBOM && bomBytesSeen > 0 {
            let partial: [UInt8] = [0xEF, 0xBB, 0xBF].prefix(bomBytesSeen).map { $0 }
            bomBytesSeen = 0
            pastBOM = true
            feed(partial, into: &records)
        }
        switch state {
        case .quoted:
            problem = problem ?? .unterminatedQuote(field: fields.count + 1)
            endRecord(into: &records)
        case .fieldStart where fields.isEmpty:
            break
        default:
            endRecord(into: &records)
        }
    }

    private mutating func skipBOM(_ byte: UInt8) -> Bool {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if byte == bom[bomBytesSeen] {
            bomBytesSeen += 1
            if bomBytesSeen == 3 { pastBOM = true }
            return true
        }
        pastBOM = true
        if bomBytesSeen > 0 {
            // Not a BOM after all: the bytes held back belong to the first field.
            field.append(contentsOf: bom.prefix(bomBytesSeen))
            state = .unquoted
        }
        return false
    }

    private mutating func consume(_ byte: UInt8, into records: inout [CSVRecord]) {
        let isLF = byte == UInt8(ascii: "\n")
        let isCR = byte == UInt8(ascii: "\r")
        let isLFAfterCR = isLF && afterCR
        afterCR = isCR
        if !isLFAfterCR && (isLF || isCR) { line += 1 }
        // Outside quotes the CR of a CRLF already ended the line; inside quotes both bytes are data.
        if isLFAfterCR && state != .quoted { return }
        let isLineEnd = (isLF || isCR) && !isLFAfterCR

        switch state {
        case .fieldStart:
            if byte == UInt8(ascii: "\"") {
                state = .quoted
            } else if byte == delimiter {
                endField()
            } else if isLineEnd {
                if fields.isEmpty {
                    recordLine = line  // a blank line: no record
                } else {
                    endRecord(into: &records)
                }
            } else {
                field.append(byte)
                state = .unquoted
            }
        case .unquoted:
            if byte == delimiter {
                endField()
            } else if isLineEnd {
                endRecord(into: &records)
            } else {
                field.append(byte)
            }
        case .quoted:
            if byte == UInt8(ascii: "\"") {
                state = .quoteInQuoted
            } else {
                field.append(byte)
            }
        case .quoteInQuoted:
            if byte == UInt8(ascii: "\"") {
                field.append(byte)
                state = .quoted
            } else if byte == delimiter {
                endField()
            } else if isLineEnd {
                endRecord(into: &records)
            } else {
                problem = problem ?? .textAfterClosingQuote(field: fields.count + 1)
                state = .skippingBadField
            }
        case .skippingBadField:
            if byte == delimiter {
                endField()
            } else if isLineEnd {
                endRecord(into: &records)
            }
        }
    }

    private mutating func endField() {
        if let text = String(validating: field, as: UTF8.self) {
            fields.append(text)
        } else {
            problem = problem ?? .invalidUTF8(field: fields.count + 1)
            fields.append(String(decoding: field, as: UTF8.self))
        }
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
    }

    private mutating func endRecord(into records: inout [CSVRecord]) {
        endField()
        records.append(CSVRecord(fields: fields, line: recordLine, problem: problem))
        fields.removeAll(keepingCapacity: true)
        problem = nil
        recordLine = line
    }
}
