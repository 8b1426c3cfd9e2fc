/// One blocking rule's blocks over a table: each record's block (or none), and the members of every block
/// of two or more records that is small enough to compare, kept in one array (block by block) with the
/// offsets where each block starts. A rule that gives a record two keys puts it in two blocks.
struct LinkageBlocks: Sendable {
    let rule: BlockingRule
    /// The block of each record; -1 for a record without a key, alone in its block, or in a block too large.
    private var blockOf: [Int32]
    /// The second block of each record, for a rule that gives two keys (else empty).
    private var secondBlockOf: [Int32]
    private var members: [Int32]
    private var starts: [Int]

    init(rule: BlockingRule, table: LinkageTable, maxSize: Int) {
        self.rule = rule
        let twoKeys = rule.parts.contains(where: \.givesTwoKeys)
        var blockOf = [Int32](repeating: -1, count: table.count)
        var secondBlockOf = [Int32](repeating: -1, count: twoKeys ? table.count : 0)
        var sizes: [Int] = []
        do {
            var numbers: [String: Int32] = [:]
            for record in 0..<table.count {
                for (slot, key) in rule.keys(table, record).prefix(2).enumerated() {
                    let block: Int32
                    if let known = numbers[key] {
                        block = known
                        sizes[Int(known)] += 1
                    } else {
                        block = Int32(sizes.count)
                        numbers[key] = block
                        sizes.append(1)
                    }
                    if slot == 0 { blockOf[record] = block } else { secondBlockOf[record] = block }
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
        func place(_ record: Int, _ slots: inout [Int32]) {
            guard slots[record] >= 0 else { return }
            let block = renumbered[Int(slots[record])]
            slots[record] = block
            guard block >= 0 else { return }
            members[filled[Int(block)]] = Int32(record)
            filled[Int(block)] += 1
        }
        for record in 0..<table.count {
            place(record, &blockOf)
            if twoKeys { place(record, &secondBlockOf) }
        }
        self.blockOf = blockOf
        self.secondBlockOf = secondBlockOf
        self.members = members
        self.starts = starts
    }

    /// Whether this rule puts both records in one block.
    func together(_ a: Int, _ b: Int) -> Bool { firstSharedBlock(a, b) != nil }

    /// The lowest-numbered block both records are in, if any.
    private func firstSharedBlock(_ a: Int, _ b: Int) -> Int32? {
        if secondBlockOf.isEmpty { return blockOf[a] >= 0 && blockOf[a] == blockOf[b] ? blockOf[a] : nil }
        let theirs = [blockOf[b], secondBlockOf[b]]
        return [blockOf[a], secondBlockOf[a]].filter { $0 >= 0 && theirs.contains($0) }.min()
    }

    /// Calls `body` with every pair of records in a block, the smaller position first; a pair two blocks
    /// share comes once, from the first.
    func forEachPair(_ body: (Int, Int) -> Void) {
        for block in 0..<(starts.count - 1) {
            let (start, end) = (starts[block], starts[block + 1])
            for i in start..<(end - 1) {
                for j in (i + 1)..<end {
                    let (x, y) = (Int(members[i]), Int(members[j]))
                    if !secondBlockOf.isEmpty, firstSharedBlock(x, y) != Int32(block) { continue }
                    body(min(x, y), max(x, y))
                }
            }
        }
    }
}
