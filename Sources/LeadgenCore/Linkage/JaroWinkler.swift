/// Jaro-Winkler similarity of two strings, from 0 (nothing alike) to 1 (equal), compared by Unicode scalar:
/// the measure record linkage uses for names, which forgives a transposed or missing letter and rewards a
/// shared start ("Jonathon" and "Jonathan": 0.95). Case is the caller's business.
public enum JaroWinkler {
    /// Strings longer than this are compared by their first `maxLength` scalars (names and local parts are
    /// far shorter), so the work stays bounded whatever the input, and which characters matched fits in
    /// one 64-bit word.
    public static let maxLength = 64

    public static func similarity(_ a: String, _ b: String) -> Double {
        similarity(Array(a.unicodeScalars.prefix(maxLength)), Array(b.unicodeScalars.prefix(maxLength)))
    }

    /// The similarity of two scalar sequences (record linkage keeps each value's scalars, so comparing a
    /// million pairs allocates nothing).
    public static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let s = a.prefix(maxLength)
        let t = b.prefix(maxLength)
        if s.isEmpty && t.isEmpty { return 1 }
        if s.isEmpty || t.isEmpty { return 0 }
        let jaro = jaroSimilarity(s, t)
        var prefix = 0
        while prefix < min(4, s.count, t.count), s[prefix] == t[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    static func jaroSimilarity(_ s: ArraySlice<Unicode.Scalar>, _ t: ArraySlice<Unicode.Scalar>) -> Double {
        let window = max(0, max(s.count, t.count) / 2 - 1)
        // Bit i of each word: whether character i has found its match.
        var sMatched: UInt64 = 0
        var tMatched: UInt64 = 0
        var matches = 0
        for i in 0..<s.count {
            let low = max(0, i - window)
            let high = min(t.count - 1, i + window)
            guard low <= high else { continue }
            for j in low...high where tMatched & (1 << UInt64(j)) == 0 && s[s.startIndex + i] == t[t.startIndex + j] {
                sMatched |= 1 << UInt64(i)
                tMatched |= 1 << UInt64(j)
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in 0..<s.count where sMatched & (1 << UInt64(i)) != 0 {
            while tMatched & (1 << UInt64(j)) == 0 { j += 1 }
            if s[s.startIndex + i] != t[t.startIndex + j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(s.count) + m / Double(t.count) + (m - Double(transpositions / 2)) / m) / 3
    }
}
