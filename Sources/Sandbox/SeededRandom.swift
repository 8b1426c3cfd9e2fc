/// A small deterministic generator (SplitMix64), so a sandbox seeded alike holds the same people on every
/// machine and every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 24 hexadecimal digits, the shape of Apollo's ids.
    mutating func apolloID() -> String {
        let high = next() & 0xFFFF_FFFF_FFFF
        let low = next() & 0xFFFF_FFFF_FFFF
        return hex(high, 12) + hex(low, 12)
    }

    private func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
