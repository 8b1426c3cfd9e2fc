/// Pulls records one at a time from a source of byte chunks (a file, a request body), in constant memory.
public struct CSVReader {
    private var parser: CSVParser
    private var pending: [CSVRecord] = []
    private var pendingIndex = 0
    private var finished = false
    private let readChunk: () throws -> [UInt8]?

    /// `readChunk` returns the next bytes of the input, or nil at its end.
    public init(delimiter: UInt8 = UInt8(ascii: ","), readChunk: @escaping () throws -> [UInt8]?) {
        parser = CSVParser(delimiter: delimiter)
        self.readChunk = readChunk
    }

    /// Reads a whole CSV text held in memory.
    public init(text: String) {
        var chunk: [UInt8]? = Array(text.utf8)
        self.init {
            defer { chunk = nil }
            return chunk
        }
    }

    /// The next record, or nil at the end of the input. Throws only what reading the source throws.
    public mutating func next() throws -> CSVRecord? {
        while pendingIndex == pending.count {
            guard !finished else { return nil }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            if let chunk = try readChunk() {
                parser.feed(chunk, into: &pending)
            } else {
                parser.finish(into: &pending)
                finished = true
            }
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }
}
