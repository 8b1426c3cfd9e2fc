import Foundation
import LeadgenCore

/// The modules of Make's built-in apps that need no connection (docs/reference/make.md §5).
public enum CoreModules {
    /// Every core module, by "app:Module".
    public static func all(
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    )
        -> [String: any NativeModule]
    {
        [
            "gateway:WebhookRespond": WebhookRespond(),
            "json:ParseJSON": ParseJSON(),
            "json:CreateJSON": CreateJSON(),
            "util:SetVariable2": SetVariable(),
            "util:SetVariables": SetVariables(),
            "util:GetVariable2": GetVariable(),
            "util:GetVariables": GetVariables(),
            "util:FunctionSleep": Sleep(sleep: sleep),
            "util:ComposeTransformer": Compose(),
            "util:Switcher": Switcher(),
            "builtin:BasicFeeder": Iterator(),
            "builtin:BasicRepeater": Repeater(),
        ]
    }
}

/// `gateway:WebhookRespond`: what the webhook's caller gets (status as text, body, up to 16 headers).
struct WebhookRespond: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        let statusText = IMLValues.text(input.mapper["status"] ?? .string("200"))
        guard let status = Int(statusText), (100...599).contains(status) else {
            throw ModuleError("DataError", "status: '\(statusText)' is not an HTTP status code")
        }
        var headers: [String: String] = [:]
        for header in input.mapper["headers"]?.arrayValue ?? [] {
            guard let key = header["key"].map(IMLValues.text), !key.isEmpty else { continue }
            headers[key] = IMLValues.text(header["value"] ?? .null)
        }
        guard headers.count <= 16 else { throw ModuleError("DataError", "headers: at most 16 headers") }
        input.run.respond(
            WebhookResponse(status: status, headers: headers, body: IMLValues.text(input.mapper["body"] ?? .null)))
        return [.object([:])]
    }
}

/// `json:ParseJSON`: a JSON text to a bundle; an array gives one bundle per element (inferred).
struct ParseJSON: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        let text = IMLValues.text(input.mapper["json"] ?? .null)
        let value: JSON
        do { value = try JSON.parse(Data(text.utf8)) } catch {
            throw ModuleError("DataError", "Source is not valid JSON.")
        }
        switch value {
        case .object: return [value]
        case .array(let items): return items.map { if case .object = $0 { $0 } else { .object(["value": $0]) } }
        default: return [.object(["value": value])]
        }
    }
}

/// `json:CreateJSON`: the mapped fields as JSON text.
struct CreateJSON: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        let text = String(decoding: try input.mapper.data(), as: UTF8.self)
        return [.object(["json": .string(text)])]
    }
}

/// `util:SetVariable2`: `{name, scope, value}` → `{name: value}`.
struct SetVariable: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        guard let name = input.mapper["name"]?.stringValue, !name.isEmpty else {
            throw ModuleError("DataError", "name: a variable needs a name")
        }
        let value = input.mapper["value"] ?? .null
        input.run.setVariable(name, value)
        return [.object([name: value])]
    }
}

/// `util:SetVariables`: `{scope, variables: [{name, value}]}` → one field per name.
struct SetVariables: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        var fields: [String: JSON] = [:]
        for variable in input.mapper["variables"]?.arrayValue ?? [] {
            guard let name = variable["name"]?.stringValue, !name.isEmpty else { continue }
            let value = variable["value"] ?? .null
            input.run.setVariable(name, value)
            fields[name] = value
        }
        return [.object(fields)]
    }
}

/// `util:GetVariable2`: `{name}` → `{name: value}`.
struct GetVariable: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        let name = IMLValues.text(input.mapper["name"] ?? .null)
        return [.object([name: input.run.variable(name)])]
    }
}

/// `util:GetVariables`: `{variables: [names]}` → one field per name.
struct GetVariables: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        var fields: [String: JSON] = [:]
        for name in (input.mapper["variables"]?.arrayValue ?? []).map(IMLValues.text) {
            fields[name] = input.run.variable(name)
        }
        return [.object(fields)]
    }
}

/// `util:FunctionSleep`: waits `duration` seconds (1 to 300).
struct Sleep: NativeModule {
    let sleep: @Sendable (Double) async throws -> Void

    func run(_ input: ModuleInput) async throws -> [JSON] {
        guard let seconds = IMLValues.number(input.mapper["duration"] ?? .null), (1...300).contains(seconds) else {
            throw ModuleError("DataError", "duration: expected 1 to 300 seconds")
        }
        try await sleep(seconds)
        return [.object([:])]
    }
}

/// `util:ComposeTransformer` (Compose a string): `{value}` → `{value}`.
struct Compose: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        [.object(["value": .string(IMLValues.text(input.mapper["value"] ?? .null))])]
    }
}

/// `util:Switcher`: the output of the first case whose pattern matches the input, else `elseOutput`.
struct Switcher: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        let subject = IMLValues.text(input.mapper["input"] ?? .null)
        let useRegex = IMLValues.truthy(input.mapper["useRegExpMatch"] ?? .bool(false))
        for row in input.mapper["casesTable"]?.arrayValue ?? [] {
            let pattern = IMLValues.text(row["pattern"] ?? .null)
            let matches: Bool
            do {
                matches = useRegex ? try BoundedRegex(pattern).matches(subject) : subject == pattern
            } catch {
                throw ModuleError("DataError", "casesTable: \(error.description)")
            }
            if matches { return [.object(["output": row["output"] ?? .null])] }
        }
        return [.object(["output": input.mapper["elseOutput"] ?? .null])]
    }
}

/// `builtin:BasicFeeder` (Iterator): one bundle per element; objects keep their fields, other values are
/// `value`; every bundle has `__IMTINDEX__` (1-based) and `__IMTLENGTH__`.
struct Iterator: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        let items: [JSON] =
            switch input.mapper["array"] ?? .null {
            case .array(let items): items
            case .null: []
            case let single: [single]
            }
        return items.enumerated().map { index, item in
            var fields: [String: JSON] = if case .object(let object) = item { object } else { ["value": item] }
            fields["__IMTINDEX__"] = .int(index + 1)
            fields["__IMTLENGTH__"] = .int(items.count)
            return .object(fields)
        }
    }
}

/// `builtin:BasicRepeater`: `repeats` bundles `{i}` from `start` by `step` (at most 10,000).
struct Repeater: NativeModule {
    func run(_ input: ModuleInput) async throws -> [JSON] {
        // Bounds that keep start + 10,000 steps within Int, whatever the mapper says.
        func whole(_ field: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
            guard let raw = input.mapper[field] else { return value }
            guard let number = IMLValues.number(raw), let whole = WholeNumber.exactly(number, in: range) else {
                throw ModuleError(
                    "DataError", "\(field): expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return whole
        }
        let start = try whole("start", default: 1, in: -1_000_000_000_000...1_000_000_000_000)
        let step = try whole("step", default: 1, in: -1_000_000_000...1_000_000_000)
        guard let raw = input.mapper["repeats"], let number = IMLValues.number(raw),
            let repeats = WholeNumber.exactly(number, in: 0...10_000)
        else { throw ModuleError("DataError", "repeats: expected 0 to 10000") }
        return (0..<repeats).map { .object(["i": .int(start + $0 * step)]) }
    }
}
