import Foundation

#if canImport(_FoundationICU)
    import _FoundationICU
#endif

/// A regular expression a user wrote (a filter's pattern, `replace`'s `/…/`, a switcher's case), run by
/// ICU — the engine behind NSRegularExpression, so the syntax is the same — with a limit on its steps:
/// a catastrophic pattern such as `(a+)+$` fails with an error in milliseconds instead of holding a worker
/// for seconds or minutes.
final class BoundedRegex {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case invalid(String)
        case tooSlow(String)
        case tooLong

        var description: String {
            switch self {
            case .invalid(let pattern): "'\(pattern.prefix(200))' is not a valid regular expression"
            case .tooSlow(let pattern):
                "the regular expression '\(pattern.prefix(200))' takes too long on this text (it backtracks too much)"
            case .tooLong:
                "the replaced text would be longer than \(BoundedRegex.maxOutputUnits / 1024 / 1024) Mi characters"
            }
        }
    }

    /// ICU's unit of match time: about a millisecond each on a current processor.
    static let stepLimit: Int32 = 50
    /// Longer patterns are refused before they are compiled.
    static let maxPatternLength = 4000
    /// The longest text a replacement may produce, in UTF-16 units.
    static let maxOutputUnits = 8 * 1024 * 1024

    let pattern: String
    #if canImport(_FoundationICU)
        private let regex: OpaquePointer
    #else
        private let regex: NSRegularExpression
    #endif

    init(_ pattern: String, caseInsensitive: Bool = false, multiline: Bool = false) throws(Failure) {
        self.pattern = pattern
        guard pattern.utf16.count <= Self.maxPatternLength else { throw .invalid(pattern) }
        #if canImport(_FoundationICU)
            var flags: UInt32 = 0
            if caseInsensitive { flags |= UInt32(UREGEX_CASE_INSENSITIVE.rawValue) }
            if multiline { flags |= UInt32(UREGEX_MULTILINE.rawValue) }
            var status = U_ZERO_ERROR
            let units = Array(pattern.utf16)
            guard let opened = swift_uregex_open(units, Int32(units.count), flags, nil, &status),
                status.rawValue <= U_ZERO_ERROR.rawValue
            else { throw .invalid(pattern) }
            swift_uregex_setTimeLimit(opened, Self.stepLimit, &status)
            regex = opened
        #else
            var options: NSRegularExpression.Options = []
            if caseInsensitive { options.insert(.caseInsensitive) }
            if multiline { options.insert(.anchorsMatchLines) }
            guard let compiled = try? NSRegularExpression(pattern: pattern, options: options) else {
                throw .invalid(pattern)
            }
            regex = compiled
        #endif
    }

    #if canImport(_FoundationICU)
        deinit { swift_uregex_close(regex) }
    #endif

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) throws(Failure) -> Bool {
        #if canImport(_FoundationICU)
            let units = Array(text.utf16)
            var status = U_ZERO_ERROR
            return try units.withUnsafeBufferPointer { buffer throws(Failure) -> Bool in
                swift_uregex_setText(regex, buffer.baseAddress, Int32(buffer.count), &status)
                let found = swift_uregex_find(regex, 0, &status)
                try check(status)
                return found != 0
            }
        #else
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        #endif
    }

    /// `text` with the first match (or every one, with `all`) replaced by `template` (`$0`, `$1`… as in
    /// NSRegularExpression).
    func replacing(in text: String, with template: String, all: Bool) throws(Failure) -> String {
        #if canImport(_FoundationICU)
            let units = Array(text.utf16)
            let replacement = Array(template.utf16)
            return try units.withUnsafeBufferPointer { buffer throws(Failure) -> String in
                var status = U_ZERO_ERROR
                swift_uregex_setText(regex, buffer.baseAddress, Int32(buffer.count), &status)
                try check(status)
                func run(_ out: UnsafeMutablePointer<UChar>?, _ capacity: Int32, _ status: inout UErrorCode) -> Int32 {
                    all
                        ? swift_uregex_replaceAll(regex, replacement, Int32(replacement.count), out, capacity, &status)
                        : swift_uregex_replaceFirst(
                            regex, replacement, Int32(replacement.count), out, capacity, &status)
                }
                let needed = run(nil, 0, &status)
                guard status == U_BUFFER_OVERFLOW_ERROR || status.rawValue <= U_ZERO_ERROR.rawValue else {
                    try check(status)
                    return text
                }
                guard needed <= Self.maxOutputUnits else { throw .tooLong }
                var output = [UChar](repeating: 0, count: Int(max(needed, 0)) + 1)
                status = U_ZERO_ERROR
                swift_uregex_reset(regex, 0, &status)
                let written = output.withUnsafeMutableBufferPointer { run($0.baseAddress, Int32($0.count), &status) }
                try check(status)
                return String(decoding: output.prefix(Int(max(0, min(written, Int32(output.count))))), as: UTF16.self)
            }
        #else
            let range = NSRange(text.startIndex..., in: text)
            if all { return regex.stringByReplacingMatches(in: text, range: range, withTemplate: template) }
            guard let match = regex.firstMatch(in: text, range: range) else { return text }
            let replaced = regex.replacementString(for: match, in: text, offset: 0, template: template)
            return (text as NSString).replacingCharacters(in: match.range, with: replaced)
        #endif
    }

    #if canImport(_FoundationICU)
        private func check(_ status: UErrorCode) throws(Failure) {
            if status == U_REGEX_TIME_OUT || status == U_REGEX_STACK_OVERFLOW { throw .tooSlow(pattern) }
            if status.rawValue > U_ZERO_ERROR.rawValue { throw .invalid(pattern) }
        }
    #endif
}
