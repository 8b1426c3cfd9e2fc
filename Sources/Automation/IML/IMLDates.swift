import Foundation
import LeadgenCore

/// Dates as Make handles them: ISO 8601 text between modules (`2016-12-28T16:03:06.000Z`), moment.js-style
/// format tokens (docs/reference/make.md §3), IANA time zones.
public enum IMLDates {
    static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }()

    /// ISO 8601 with milliseconds, in UTC: how a date travels.
    public static func iso(_ date: Date) -> String {
        format(date, "YYYY-MM-DDTHH:mm:ss.SSS[Z]", timeZone: .gmt)
    }

    /// A date from a value: ISO 8601 text (with or without time, fraction or offset), or a number of
    /// milliseconds since 1970 (inferred: Make passes timestamps in ms between modules).
    public static func date(_ value: JSON) -> Date? {
        switch value {
        case .int(let ms): return Date(timeIntervalSince1970: Double(ms) / 1000)
        case .double(let ms): return Date(timeIntervalSince1970: ms / 1000)
        case .string(let text): return parseISO(text)
        default: return nil
        }
    }

    static func parseISO(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 10, trimmed.first?.isNumber == true else { return nil }
        let strategies: [Date.ISO8601FormatStyle] = [
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true)
                .timeSeparator(.colon).timeZone(separator: .colon),
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                .timeSeparator(.colon).timeZone(separator: .colon),
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true)
                .timeSeparator(.colon).timeZone(separator: .omitted),
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                .timeSeparator(.colon).timeZone(separator: .omitted),
        ]
        for strategy in strategies {
            if let date = try? strategy.parse(trimmed) { return date }
        }
        // A date alone, or a date and time without a zone: UTC. Anything else ("27-11-2026") is not a date.
        let characters = Array(trimmed)
        guard characters[0..<4].allSatisfy(\.isNumber), characters[4] == "-", characters[7] == "-" else { return nil }
        return try? parse(trimmed, trimmed.count == 10 ? "YYYY-MM-DD" : "YYYY-MM-DDTHH:mm:ss", timeZone: .gmt)
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The longest tokens first, so "MMMM" wins over "MM".
    static let tokens = [
        "YYYY", "YY", "Y", "Qo", "Q", "MMMM", "MMM", "MMo", "Mo", "MM", "M", "DDDD", "DDDo", "DDD", "Do", "DD", "D",
        "dddd", "ddd", "dd", "do", "d", "E", "WW", "Wo", "W", "ww", "wo", "w", "GGGG", "gggg", "HH", "H", "hh", "h",
        "kk", "k", "A", "a", "mm", "m", "ss", "s", "SSS", "SS", "S", "ZZ", "Z", "X", "x",
    ]

    static func ordinal(_ n: Int) -> String {
        let tens = n % 100
        if (11...13).contains(tens) { return "\(n)th" }
        switch n % 10 {
        case 1: return "\(n)st"
        case 2: return "\(n)nd"
        case 3: return "\(n)rd"
        default: return "\(n)th"
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let text = String(abs(n))
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func offset(_ seconds: Int, colon: Bool) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return sign + pad(minutes / 60, 2) + (colon ? ":" : "") + pad(minutes % 60, 2)
    }

    /// Formats with moment.js tokens; text in `[…]` and characters that are not tokens are kept.
    public static func format(_ date: Date, _ pattern: String, timeZone: TimeZone) -> String {
        var calendar = gregorian
        calendar.timeZone = timeZone
        let c = calendar.dateComponents(
            [
                .year, .month, .day, .hour, .minute, .second, .nanosecond, .weekday, .quarter, .weekOfYear,
                .yearForWeekOfYear,
            ],
            from: date)
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = timeZone
        let isoWeek = iso.component(.weekOfYear, from: date)
        let isoYear = iso.component(.yearForWeekOfYear, from: date)
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        let offsetSeconds = timeZone.secondsFromGMT(for: date)
        let year = c.year ?? 1970
        let month = c.month ?? 1
        let day = c.day ?? 1
        let hour = c.hour ?? 0
        let weekday = (c.weekday ?? 1) - 1
        let millis = (c.nanosecond ?? 0) / 1_000_000
        let quarter = (month - 1) / 3 + 1
        var out = ""
        let chars = Array(pattern)
        var i = 0
        outer: while i < chars.count {
            if chars[i] == "[" {
                if let close = chars[i...].firstIndex(of: "]") {
                    out += String(chars[(i + 1)..<close])
                    i = close + 1
                    continue
                }
            }
            for token in tokens where i + token.count <= chars.count && String(chars[i..<(i + token.count)]) == token {
                let value: String =
                    switch token {
                    case "YYYY": pad(year, 4)
                    case "YY": pad(year % 100, 2)
                    case "Y": String(year)
                    case "Q": String(quarter)
                    case "Qo": ordinal(quarter)
                    case "M": String(month)
                    case "Mo", "MMo": ordinal(month)
                    case "MM": pad(month, 2)
                    case "MMM": String(monthNames[month - 1].prefix(3))
                    case "MMMM": monthNames[month - 1]
                    case "D": String(day)
                    case "Do": ordinal(day)
                    case "DD": pad(day, 2)
                    case "DDD": String(dayOfYear)
                    case "DDDo": ordinal(dayOfYear)
                    case "DDDD": pad(dayOfYear, 3)
                    case "d": String(weekday)
                    case "do": ordinal(weekday)
                    case "dd": String(dayNames[weekday].prefix(2))
                    case "ddd": String(dayNames[weekday].prefix(3))
                    case "dddd": dayNames[weekday]
                    case "E": String(weekday == 0 ? 7 : weekday)
                    case "w": String(c.weekOfYear ?? 1)
                    case "wo": ordinal(c.weekOfYear ?? 1)
                    case "ww": pad(c.weekOfYear ?? 1, 2)
                    case "W": String(isoWeek)
                    case "Wo": ordinal(isoWeek)
                    case "WW": pad(isoWeek, 2)
                    case "GGGG": pad(isoYear, 4)
                    case "gggg": pad(c.yearForWeekOfYear ?? year, 4)
                    case "H": String(hour)
                    case "HH": pad(hour, 2)
                    case "h": String(hour % 12 == 0 ? 12 : hour % 12)
                    case "hh": pad(hour % 12 == 0 ? 12 : hour % 12, 2)
                    case "k": String(hour == 0 ? 24 : hour)
                    case "kk": pad(hour == 0 ? 24 : hour, 2)
                    case "A": hour < 12 ? "AM" : "PM"
                    case "a": hour < 12 ? "am" : "pm"
                    case "m": String(c.minute ?? 0)
                    case "mm": pad(c.minute ?? 0, 2)
                    case "s": String(c.second ?? 0)
                    case "ss": pad(c.second ?? 0, 2)
                    case "S": String(millis / 100)
                    case "SS": pad(millis / 10, 2)
                    case "SSS": pad(millis, 3)
                    case "Z": offset(offsetSeconds, colon: true)
                    case "ZZ": offset(offsetSeconds, colon: false)
                    case "X": String(Int(date.timeIntervalSince1970.rounded(.down)))
                    case "x": String(Int((date.timeIntervalSince1970 * 1000).rounded(.down)))
                    default: token
                    }
                out += value
                i += token.count
                continue outer
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    struct ParseFailure: Error {}

    /// Parses text written in a pattern of the same tokens; a missing zone is `timeZone`.
    public static func parse(_ text: String, _ pattern: String, timeZone: TimeZone) throws -> Date {
        let chars = Array(text)
        let patternChars = Array(pattern)
        var i = 0
        var p = 0
        var year = 1970
        var month = 1
        var day = 1
        var hour = 0
        var minute = 0
        var second = 0
        var millis = 0
        var pm: Bool?
        var zone: Int?
        var epoch: Double?
        func number(_ maxDigits: Int) throws -> Int {
            var end = i
            if end < chars.count, chars[end] == "-" || chars[end] == "+" { end += 1 }
            while end < chars.count, end - i < maxDigits, chars[end].isNumber { end += 1 }
            guard end > i, let value = Int(String(chars[i..<end])) else { throw ParseFailure() }
            i = end
            return value
        }
        func name(_ names: [String]) throws -> Int {
            let rest = String(chars[i...]).lowercased()
            for (index, full) in names.enumerated() {
                for candidate in [full.lowercased(), String(full.prefix(3)).lowercased()]
                where rest.hasPrefix(candidate) {
                    i += candidate.count
                    return index
                }
            }
            throw ParseFailure()
        }
        outer: while p < patternChars.count {
            if patternChars[p] == "[", let close = patternChars[p...].firstIndex(of: "]") {
                i += close - p - 1
                p = close + 1
                continue
            }
            for token in tokens
            where p + token.count <= patternChars.count && String(patternChars[p..<(p + token.count)]) == token {
                switch token {
                case "YYYY", "GGGG", "gggg": year = try number(4)
                case "YY":
                    let short = try number(2)
                    year = short + (short >= 69 ? 1900 : 2000)
                case "Y": year = try number(6)
                case "M", "MM": month = try number(2)
                case "MMM", "MMMM": month = try name(monthNames) + 1
                case "D", "DD": day = try number(2)
                case "Do":
                    day = try number(2)
                    i = min(chars.count, i + 2)
                case "dddd", "ddd", "dd": _ = try name(dayNames)
                case "H", "HH", "k", "kk": hour = try number(2)
                case "h", "hh": hour = try number(2)
                case "A", "a":
                    let rest = String(chars[i...]).lowercased()
                    guard rest.hasPrefix("am") || rest.hasPrefix("pm") else { throw ParseFailure() }
                    pm = rest.hasPrefix("pm")
                    i += 2
                case "m", "mm": minute = try number(2)
                case "s", "ss": second = try number(2)
                case "S": millis = try number(1) * 100
                case "SS": millis = try number(2) * 10
                case "SSS": millis = try number(3)
                case "Z", "ZZ":
                    if i < chars.count, chars[i] == "Z" {
                        zone = 0
                        i += 1
                    } else {
                        guard i < chars.count, chars[i] == "+" || chars[i] == "-" else { throw ParseFailure() }
                        let sign = chars[i] == "-" ? -1 : 1
                        i += 1
                        let hours = try number(2)
                        if i < chars.count, chars[i] == ":" { i += 1 }
                        let minutes = try number(2)
                        zone = sign * (hours * 3600 + minutes * 60)
                    }
                case "X":
                    var end = i
                    while end < chars.count, chars[end].isNumber || chars[end] == "." || chars[end] == "-" { end += 1 }
                    guard let seconds = Double(String(chars[i..<end])) else { throw ParseFailure() }
                    epoch = seconds
                    i = end
                case "x":
                    let ms = try number(15)
                    epoch = Double(ms) / 1000
                default: throw ParseFailure()
                }
                p += token.count
                continue outer
            }
            // A literal character must match (a "T" or a space).
            guard i < chars.count, chars[i] == patternChars[p] || (patternChars[p] == " " && chars[i].isWhitespace)
            else { throw ParseFailure() }
            i += 1
            p += 1
        }
        if let epoch { return Date(timeIntervalSince1970: epoch) }
        if let pm {
            if pm && hour < 12 { hour += 12 }
            if !pm && hour == 12 { hour = 0 }
        }
        var calendar = gregorian
        calendar.timeZone = zone.flatMap { TimeZone(secondsFromGMT: $0) } ?? timeZone
        guard (1...12).contains(month), (1...31).contains(day), hour < 25, minute < 60, second < 61,
            let date = calendar.date(
                from: DateComponents(
                    year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                    nanosecond: millis * 1_000_000))
        else { throw ParseFailure() }
        return date
    }
}
