/// Jaro-Winkler similarity of two strings, from 0 (nothing alike) to 1 (equal), compared by Unicode scalar:
/// the measure record linkage uses for names, which forgives a transposed or missing letter and rewards a
/// shared start ("Jonathon" and "Jonathan": 0.95). Case is the caller's business.
public enum JaroWinkler {
    /// Strings longer than this are compared by their first `maxLength` scalars (names and local parts are
    /// far shorter), so the work stays bounded whatever the input.
    public static let maxLength = 64

    public static func similarity(_ a: String, _ b: String) -> Double {
        let s = Array(a.unicodeScalars.prefix(maxLength))
        let t = Array(b.unicodeScalars.prefix(maxLength))
        if s.isEmpty && t.isEmpty { return 1 }
        if s.isEmpty || t.isEmpty { return 0 }
        let jaro = jaroSimilarity(s, t)
        var prefix = 0
        while prefix < min(4, s.count, t.count), s[prefix] == t[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    static func jaroSimilarity(_ s: [Unicode.Scalar], _ t: [Unicode.Scalar]) -> Double {
        let window = max(0, max(s.count, t.count) / 2 - 1)
        var sMatched = [Bool](repeating: false, count: s.count)
        var tMatched = [Bool](repeating: false, count: t.count)
        var matches = 0
        for i in s.indices {
            let low = max(0, i - window)
            let high = min(t.count - 1, i + window)
            guard low <= high else { continue }
            for j in low...high where !tMatched[j] && s[i] == t[j] {
                sMatched[i] = true
                tMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0
        var j = 0
        for i in s.indices where sMatched[i] {
            while !tMatched[j] { j += 1 }
            if s[i] != t[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        return (m / Double(s.count) + m / Double(t.count) + (m - Double(transpositions / 2)) / m) / 3
    }
}
