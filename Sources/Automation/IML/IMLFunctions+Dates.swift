import Foundation
import LeadgenCore

extension IMLFunctions {
    /// Make's date functions (formatDate, parseDate, addDays, setHour, dateDifference…); nil for another name.
    static func dateFunction(_ name: String, _ v: [JSON], context: IMLContext) throws(IMLEvaluationError) -> JSON? {
        func text(_ i: Int) -> String { Self.text(v, i) }
        switch name {
        case "formatDate":
            try count(name, v, 2...3)
            return .string(
                IMLDates.format(try date(name, v[0]), text(1), timeZone: zone(v.count > 2 ? v[2] : nil, context)))
        case "parseDate":
            try count(name, v, 1...3)
            let timeZone = zone(v.count > 2 ? v[2] : nil, context)
            if v.count == 1 {
                guard let parsed = IMLDates.date(v[0]) else { throw wrong(name, "an ISO 8601 date, got \(text(0))") }
                return .string(IMLDates.iso(parsed))
            }
            do {
                return .string(IMLDates.iso(try IMLDates.parse(text(0), text(1), timeZone: timeZone)))
            } catch {
                throw IMLEvaluationError(message: "parseDate: '\(text(0))' does not match the format '\(text(1))'")
            }
        case "addSeconds", "addMinutes", "addHours", "addDays", "addMonths", "addYears":
            try count(name, v, 2...2)
            let base = try date(name, v[0])
            // Ten thousand years either way, in any unit, stays a date; more is an error, not a trap.
            let amount = try integer(name, v[1], within: -Self.maxAmount(name)...Self.maxAmount(name), "an amount")
            let component: Calendar.Component =
                switch name {
                case "addSeconds": .second
                case "addMinutes": .minute
                case "addHours": .hour
                case "addDays": .day
                case "addMonths": .month
                default: .year
                }
            var calendar = IMLDates.gregorian
            calendar.timeZone = context.timeZone
            guard let result = calendar.date(byAdding: component, value: amount, to: base) else { return .null }
            return .string(IMLDates.iso(result))
        case "setSecond", "setMinute", "setHour", "setDate", "setMonth", "setYear":
            try count(name, v, 2...2)
            let base = try date(name, v[0])
            let value = try integer(name, v[1], within: -1_000_000...1_000_000, "a value")
            var calendar = IMLDates.gregorian
            calendar.timeZone = context.timeZone
            var parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second, .nanosecond], from: base)
            // Out-of-range values roll over (setDate(…; 32) is the 1st of the next month).
            switch name {
            case "setSecond": parts.second = value
            case "setMinute": parts.minute = value
            case "setHour": parts.hour = value
            case "setDate": parts.day = value
            case "setMonth": parts.month = value
            default: parts.year = value
            }
            guard let result = calendar.date(from: parts) else { return .null }
            return .string(IMLDates.iso(result))
        case "setDay":
            try count(name, v, 2...2)
            let base = try date(name, v[0])
            var target: Int
            if Values.number(v[1]) != nil {
                target = try integer(name, v[1], within: -1_000_000...1_000_000, "a day")
            } else if let index = IMLDates.dayNames.firstIndex(where: { $0.lowercased() == text(1).lowercased() }) {
                target = index + 1
            } else {
                throw wrong(name, "a day from 1 (Sunday) to 7 or a day name")
            }
            var calendar = IMLDates.gregorian
            calendar.timeZone = context.timeZone
            let weekday = calendar.component(.weekday, from: base)
            target = target - weekday
            guard let result = calendar.date(byAdding: .day, value: target, to: base) else { return .null }
            return .string(IMLDates.iso(result))
        case "dateDifference":
            try count(name, v, 2...3)
            let ms = (try date(name, v[0]).timeIntervalSince(try date(name, v[1]))) * 1000
            let unit = v.count > 2 ? text(2).lowercased() : "milliseconds"
            let divisor: Double =
                switch unit {
                case "seconds": 1000
                case "minutes": 60_000
                case "hours": 3_600_000
                case "days": 86_400_000
                default: 1
                }
            return Values.json((ms / divisor).rounded(.towardZero))
        default: return nil
        }
    }

    /// The largest amount `add…` takes for its unit: about ten thousand years.
    static func maxAmount(_ name: String) -> Int {
        switch name {
        case "addSeconds": 315_576_000_000
        case "addMinutes": 5_259_600_000
        case "addHours": 87_660_000
        case "addDays": 3_652_500
        case "addMonths": 120_000
        default: 10_000
        }
    }
}
