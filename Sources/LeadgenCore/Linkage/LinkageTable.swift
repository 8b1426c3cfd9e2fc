/// The records record linkage works on: an id each and, per field of the settings, the normalized value.
/// Values are kept once per field and records point at them, so a million records with a few thousand
/// surnames hold a few thousand surname strings, and two records with the same value compare equal without
/// comparing text.
public struct LinkageTable: Sendable {
    public let fields: [LinkageSettings.Field]
    public private(set) var ids: [String] = []
    /// Per field, per record: the position of its value in `values`, or -1 when it has none.
    private var codes: [[Int32]]
    /// Per field, each distinct value once.
    private var values: [[LinkageValue]]
    private var positions: [[String: Int32]]

    public init(fields: [LinkageSettings.Field]) {
        self.fields = fields
        codes = fields.map { _ in [] }
        values = fields.map { _ in [] }
        positions = fields.map { _ in [:] }
    }

    public var count: Int { ids.count }

    /// Adds a record: its raw values in the order of the fields (missing ones nil; extra ones ignored).
    public mutating func append(id: String, values raw: [String?]) {
        ids.append(id)
        for (index, field) in fields.enumerated() {
            guard index < raw.count, let value = raw[index].flatMap(field.comparison.normalize) else {
                codes[index].append(-1)
                continue
            }
            if let known = positions[index][value] {
                codes[index].append(known)
            } else {
                let position = Int32(values[index].count)
                values[index].append(LinkageValue(value))
                positions[index][value] = position
                codes[index].append(position)
            }
        }
    }

    /// The normalized value of a field of a record.
    public func value(_ field: Int, _ record: Int) -> String? {
        let code = codes[field][record]
        return code < 0 ? nil : values[field][Int(code)].text
    }

    /// The position of a record's value among the field's distinct values, or -1 when it has none.
    func code(_ field: Int, _ record: Int) -> Int32 { codes[field][record] }

    /// How many distinct values a field has.
    func distinctValues(_ field: Int) -> Int { values[field].count }

    /// How the two records compare, field by field; each pair of `swaps` compared crossed too (a's first
    /// field with b's second and the other way), and the crossed levels kept when both agree somewhat and
    /// they add up to more.
    public func compare(_ a: Int, _ b: Int, swaps: [LinkageSettings.Swap] = []) -> ComparisonVector {
        var vector = ComparisonVector()
        for (index, field) in fields.enumerated() {
            let (x, y) = (codes[index][a], codes[index][b])
            guard x >= 0, y >= 0 else { continue }
            let level =
                x == y
                ? field.comparison.levels - 1
                : field.comparison.level(values[index][Int(x)], values[index][Int(y)])
            vector.set(index, level: level)
        }
        for swap in swaps {
            let (i, j) = (swap.first, swap.second)
            let comparison = fields[i].comparison
            let straight = (vector.level(i) ?? 0) + (vector.level(j) ?? 0)
            guard straight < 2 * (comparison.levels - 1) else { continue }
            let (ia, ja, ib, jb) = (codes[i][a], codes[j][a], codes[i][b], codes[j][b])
            guard ia >= 0, ja >= 0, ib >= 0, jb >= 0 else { continue }
            let crossedI = comparison.level(values[i][Int(ia)], values[j][Int(jb)])
            let crossedJ = comparison.level(values[j][Int(ja)], values[i][Int(ib)])
            guard crossedI > 0, crossedJ > 0, crossedI + crossedJ > straight else { continue }
            vector.set(i, level: crossedI)
            vector.set(j, level: crossedJ)
        }
        return vector
    }
}

/// Each field's agreement level for one pair of records, four bits a field in one word (so pairs that
/// compare alike are counted together); a field either record lacks is missing.
public struct ComparisonVector: Hashable, Sendable {
    static let missing: UInt64 = 0xF
    public private(set) var bits: UInt64 = .max

    public init() {}

    /// The level of a field, or nil when either record lacks it.
    public func level(_ field: Int) -> Int? {
        let level = (bits >> (UInt64(field) * 4)) & 0xF
        return level == Self.missing ? nil : Int(level)
    }

    mutating func set(_ field: Int, level: Int) {
        let shift = UInt64(field) * 4
        bits = (bits & ~(0xF << shift)) | (UInt64(min(max(level, 0), 14)) << shift)
    }

    /// The fields that agree, in words: "surname equal, given_name similar".
    public func agreements(_ fields: [LinkageSettings.Field]) -> [String] {
        fields.indices.compactMap { index in
            guard let level = level(index), level > 0 else { return nil }
            return fields[index].name + " " + fields[index].comparison.describe(level: level)
        }
    }
}
