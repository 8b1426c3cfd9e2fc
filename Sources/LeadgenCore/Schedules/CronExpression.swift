import Foundation

/// A five-field cron expression ("minute hour day-of-month month day-of-week"), as crontab(5) reads it:
/// `*`, numbers, ranges `1-5`, steps `*/15` and `10-50/20`, lists `1,15`, month and weekday names, 0 or 7
/// for Sunday. When both day fields are restricted, a day matching either one matches.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let dayOfMonthRestricted: Bool
    let weekdayRestricted: Bool

    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    public init(parsing text: String) throws(Problem) {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw Problem(
                description: "a cron expression has 5 fields (minute hour day month weekday), got \(fields.count)")
        }
        description = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], "minute", 0...59)
        hours = try Self.field(fields[1], "hour", 0...23)
        daysOfMonth = try Self.field(fields[2], "day of month", 1...31)
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames)
        weekdays = Set(try Self.field(fields[4], "day of week", 0...7, names: Self.dayNames).map { $0 % 7 })
        dayOfMonthRestricted = fields[2] != "*"
        weekdayRestricted = fields[4] != "*"
    }

    /// The first matching minute strictly after `date`, in `timeZone`; nil when none comes within five years
    /// (a date such as February 30).
    public func next(after date: Date, in timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let start = calendar.date(byAdding: .minute, value: 1, to: date),
            let firstMinute = calendar.dateInterval(of: .minute, for: start)?.start,
            var day = calendar.dateInterval(of: .day, for: firstMinute)?.start
        else { return nil }
        for _ in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.month, .day, .weekday], from: day)
            if matchesDay(month: parts.month!, day: parts.day!, weekday: parts.weekday! - 1) {
                for hour in hours.sorted() {
                    for minute in minutes.sorted() {
                        guard let candidate = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day),
                            calendar.component(.hour, from: candidate) == hour
                        else { continue }
                        if candidate >= firstMinute { return candidate }
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }

    private func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (dayOfMonthRestricted, weekdayRestricted) {
        case (true, true): return daysOfMonth.contains(day) || weekdays.contains(weekday)
        case (true, false): return daysOfMonth.contains(day)
        case (false, true): return weekdays.contains(weekday)
        case (false, false): return true
        }
    }

    private static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String: Int] = [:])
        throws(Problem) -> Set<Int>
    {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw Problem(description: "\(name): '\(part)' has more than one /") }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else {
                    throw Problem(description: "\(name): step '\(pieces[1])' is not a positive number")
                }
                step = value
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else {
                let ends = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2, let low = value(ends[0], names),
                    let high = ends.count == 2 ? value(ends[1], names) : low
                else { throw Problem(description: "\(name): '\(part)' is not a number, range or name") }
                guard range.contains(low), range.contains(high) else {
                    throw Problem(description: "\(name): '\(part)' is outside \(range.lowerBound)-\(range.upperBound)")
                }
                guard low <= high else { throw Problem(description: "\(name): '\(part)' runs backwards") }
                bounds = pieces.count == 2 && ends.count == 1 ? low...range.upperBound : low...high
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    private static func value(_ text: Substring, _ names: [String: Int]) -> Int? {
        Int(text) ?? names[text.uppercased()]
    }

    static let monthNames = [
        "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10,
        "NOV": 11, "DEC": 12,
    ]
    static let dayNames = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
}
