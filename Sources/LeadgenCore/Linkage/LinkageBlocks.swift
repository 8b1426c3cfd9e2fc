/// One blocking rule's blocks over a table: each record's block (or none), and the members of every block
/// of two or more records that is small enough to compare, kept in one array (block by block) with the
/// offsets where each block starts.
struct LinkageBlocks: Sendable {
    let rule: BlockingRule
    /// The block of each record; -1 for a record without a key, alone in its block, or in a block too large.
    private var blockOf: [Int32]
    private var members: [Int32]
    private var starts: [Int]

    init(rule: BlockingRule, table: LinkageTable, maxSize: Int) {
        self.rule = rule
        var blockOf = [Int32](repeating: -1, count: table.count)
        var sizes: [Int] = []
        do {
            var numbers: [String: Int32] = [:]
            for record in 0..<table.count {
                guard let key = rule.key(table, record) else { continue }
                if let known = numbers[key] {
                    blockOf[record] = known
                    sizes[Int(known)] += 1
                } else {
                    blockOf[record] = Int32(sizes.count)
                    numbers[key] = Int32(sizes.count)
                    sizes.append(1)
                }
            }
        }
        // Blocks worth comparing get consecutive numbers; the others none.
        var renumbered = [Int32](repeating: -1, count: sizes.count)
        var starts = [0]
        for (block, size) in sizes.enumerated() where size >= 2 && size <= maxSize {
            renumbered[block] = Int32(starts.count - 1)
            starts.append(starts[starts.count - 1] + size)
        }
        var members = [Int32](repeating: 0, count: starts[starts.count - 1])
        var filled = Array(starts.dropLast())
        for record in 0..<table.count {
            guard blockOf[record] >= 0 else { continue }
            let block = renumbered[Int(blockOf[record])]
            blockOf[record] = block
            guard block >= 0 else { continue }
            members[filled[Int(block)]] = Int32(record)
            filled[Int(block)] += 1
        }
        self.blockOf = blockOf
        self.members = members
        self.starts = starts
    }

    /// Whether this rule puts both records in one block.
    func together(_ a: Int, _ b: Int) -> Bool { blockOf[a] >= 0 && blockOf[a] == blockOf[b] }

    /// Calls `body` with every pair of records in a block, the smaller position first.
    func forEachPair(_ body: (Int, Int) -> Void) {
        for block in 0..<(starts.count - 1) {
            let (start, end) = (starts[block], starts[block + 1])
            for i in start..<(end - 1) {
                for j in (i + 1)..<end { body(Int(members[i]), Int(members[j])) }
            }
        }
    }
}
