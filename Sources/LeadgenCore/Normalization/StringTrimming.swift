extension StringProtocol {
    /// The text without leading and trailing white space (including no-break spaces), as a String.
    func trimmingWhitespace() -> String {
        let bytes = utf8
        // Fast path: ASCII text whose ends are not blank needs no work; CSV fields nearly always are.
        if let first = bytes.first, let last = bytes.reversed().first, !Self.isASCIISpace(first),
            !Self.isASCIISpace(last),
            first < 0x80, last < 0x80
        {
            return String(self)
        }
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }

    /// The text with every run of white space folded into one space, trimmed.
    func collapsingWhitespace() -> String {
        if isPlainASCIIWords { return String(self) }
        return split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// ASCII text with single spaces between words and none at the ends: nothing to fold.
    private var isPlainASCIIWords: Bool {
        var previousWasSpace = true
        for byte in utf8 {
            guard byte < 0x80 else { return false }
            let isSpace = Self.isASCIISpace(byte)
            if isSpace && (previousWasSpace || byte != UInt8(ascii: " ")) { return false }
            previousWasSpace = isSpace
        }
        return !previousWasSpace
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
