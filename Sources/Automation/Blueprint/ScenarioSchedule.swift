import Foundation
import LeadgenCore

/// When a scenario runs by itself: Make's `scheduling` object (docs/reference/make.md §7).
public enum ScenarioSchedule: Sendable, Equatable {
    /// Started by its trigger (a webhook): no schedule.
    case immediately
    /// Only when asked (the API, the CLI).
    case onDemand
    /// `indefinitely`: every `seconds` (at least 60).
    case interval(seconds: Int)
    /// `once`: at that moment.
    case once(Date)
    /// `daily`: every day at `hour:minute`.
    case daily(hour: Int, minute: Int)
    /// `weekly`: on these days at `hour:minute`. Days are 0–6 with 0 Sunday, as Make's SDK documents them;
    /// 7 is read as Sunday too.
    case weekly(days: Set<Int>, hour: Int, minute: Int)
    /// `monthly`: on these days of the month (1–31; a month without the day is skipped) at `hour:minute`.
    case monthly(days: Set<Int>, hour: Int, minute: Int)
    /// `yearly`: on these days (1–31) of these months (1–12) at `hour:minute`.
    case yearly(months: Set<Int>, days: Set<Int>, hour: Int, minute: Int)

    public struct Unsupported: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads a `scheduling` object; nil when there is none (the scenario runs on its trigger or on demand).
    public static func parse(_ json: JSON?) throws(Unsupported) -> ScenarioSchedule? {
        guard let json, case .object = json else { return nil }
        let type = json["type"]?.stringValue ?? "immediately"
        switch type {
        case "immediately": return .immediately
        case "on-demand": return .onDemand
        case "indefinitely":
            guard let seconds = json["interval"]?.intValue, seconds >= 60 else {
                throw Unsupported(description: "scheduling.interval: at least 60 seconds")
            }
            return .interval(seconds: seconds)
        case "once":
            guard let text = json["date"]?.stringValue, let date = IMLDates.date(.string(text)) else {
                throw Unsupported(description: "scheduling.date: an ISO 8601 date and time")
            }
            return .once(date)
        case "daily", "weekly", "monthly", "yearly":
            let (hour, minute) = try time(json["time"])
            let days = Set((json["days"]?.arrayValue ?? []).compactMap(\.intValue))
            switch type {
            case "daily": return .daily(hour: hour, minute: minute)
            case "weekly":
                guard !days.isEmpty, days.allSatisfy({ (0...7).contains($0) }) else {
                    throw Unsupported(description: "scheduling.days: days of the week from 0 (Sunday) to 6")
                }
                return .weekly(days: Set(days.map { $0 % 7 }), hour: hour, minute: minute)
            default:
                guard !days.isEmpty, days.allSatisfy({ (1...31).contains($0) }) else {
                    throw Unsupported(description: "scheduling.days: days of the month from 1 to 31")
                }
                if type == "monthly" { return .monthly(days: days, hour: hour, minute: minute) }
                let months = Set((json["months"]?.arrayValue ?? []).compactMap(\.intValue))
                guard !months.isEmpty, months.allSatisfy({ (1...12).contains($0) }) else {
                    throw Unsupported(description: "scheduling.months: months from 1 to 12")
                }
                return .yearly(months: months, days: days, hour: hour, minute: minute)
            }
        default:
            throw Unsupported(description: "scheduling.type '\(type)' is not supported natively yet")
        }
    }

    static func time(_ value: JSON?) throws(Unsupported) -> (Int, Int) {
        let parts = (value?.stringValue ?? "00:00").split(separator: ":").compactMap { Int($0) }
        guard parts.count >= 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else {
            throw Unsupported(description: "scheduling.time: HH:mm")
        }
        return (parts[0], parts[1])
    }

    /// The first run after `date`; nil when the scenario does not run by itself (or `once` is past).
    public func next(after date: Date, timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        switch self {
        case .immediately, .onDemand: return nil
        case .interval(let seconds): return date.addingTimeInterval(TimeInterval(seconds))
        case .once(let moment): return moment > date ? moment : nil
        case .daily(let hour, let minute):
            return calendar.nextDate(
                after: date, matching: DateComponents(hour: hour, minute: minute, second: 0), matchingPolicy: .nextTime)
        case .weekly(let days, let hour, let minute):
            return days.compactMap { day -> Date? in
                // Calendar weekdays: 1 = Sunday … 7 = Saturday.
                calendar.nextDate(
                    after: date, matching: DateComponents(hour: hour, minute: minute, second: 0, weekday: day + 1),
                    matchingPolicy: .nextTime)
            }.min()
        case .monthly(let days, let hour, let minute):
            return days.compactMap { day -> Date? in
                calendar.nextDate(
                    after: date, matching: DateComponents(day: day, hour: hour, minute: minute, second: 0),
                    matchingPolicy: .strict)
            }.min()
        case .yearly(let months, let days, let hour, let minute):
            return months.flatMap { month in days.map { (month, $0) } }.compactMap { month, day -> Date? in
                calendar.nextDate(
                    after: date,
                    matching: DateComponents(month: month, day: day, hour: hour, minute: minute, second: 0),
                    matchingPolicy: .strict)
            }.min()
        }
    }
}

extension Blueprint {
    /// The `scheduling` object, at the top level or in the public-template wrapper.
    public var scheduling: JSON? { extra["scheduling"] ?? wrapper?["scheduling"] }
}
