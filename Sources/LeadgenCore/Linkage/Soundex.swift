/// American Soundex: a name's first letter and three digits for the consonant sounds that follow
/// ("Robert" and "Rupert" are both R163), the blocking key that brings misspelled surnames together.
/// Letters outside A–Z are ignored; a name with none has no code.
public enum Soundex {
    public static func code(_ name: String) -> String? {
        let letters = name.uppercased().unicodeScalars.filter { $0.value >= 65 && $0.value <= 90 }
        guard let first = letters.first else { return nil }
        var code = String(Character(first))
        var last = digit(first)
        for letter in letters.dropFirst() {
            let d = digit(letter)
            // H and W do not separate letters of the same code; vowels do.
            if letter == "H" || letter == "W" { continue }
            if let d, d != last { code.append(Character(d)) }
            last = d
            if code.count == 4 { break }
        }
        while code.count < 4 { code.append("0") }
        return code
    }

    /// The digit of a consonant; nil for vowels and Y.
    static func digit(_ letter: Unicode.Scalar) -> Unicode.Scalar? {
        switch letter {
        case "B", "F", "P", "V": "1"
        case "C", "G", "J", "K", "Q", "S", "X", "Z": "2"
        case "D", "T": "3"
        case "L": "4"
        case "M", "N": "5"
        case "R": "6"
        default: nil
        }
    }
}
