import Foundation
import LeadgenCore

/// A Make.com scenario blueprint (docs/reference/make.md §1): a name, a flow of modules and metadata. Keys the
/// engine does not use are kept as they were read, so a blueprint encodes back without losing anything.
public struct Blueprint: Sendable, Equatable {
    public var name: String
    public var flow: [BlueprintModule]
    public var metadata: JSON?
    /// Other top-level keys (`scheduling`, `description`, `_public_note`, …).
    public var extra: [String: JSON]
    /// When read from the public-template form `{blueprint, controller, scheduling, …}`: everything but the
    /// blueprint itself, to write back the same form.
    public var wrapper: [String: JSON]?

    /// Reads a blueprint file in either form.
    public init(data: Data) throws(BlueprintError) {
        let json: JSON
        do { json = try JSON.parse(data) } catch {
            throw BlueprintError(path: "", message: "not JSON: \(error.localizedDescription)")
        }
        try self.init(json: json)
    }

    public init(json: JSON) throws(BlueprintError) {
        guard var object = json.objectValue else { throw BlueprintError(path: "", message: "expected a JSON object") }
        if object["flow"] == nil, let inner = object["blueprint"]?.objectValue {
            var wrapper = object
            wrapper["blueprint"] = nil
            self.wrapper = wrapper
            object = inner
            // The template form keeps the name in `controller`.
            if object["name"] == nil, let name = wrapper["controller"]?["name"] { object["name"] = name }
        } else {
            wrapper = nil
        }
        guard let flow = object["flow"]?.arrayValue else {
            throw BlueprintError(path: "flow", message: "a blueprint needs a flow array")
        }
        name = object["name"]?.stringValue ?? ""
        self.flow = try Self.modules(flow, path: "flow")
        metadata = object["metadata"]
        var extra = object
        for key in ["name", "flow", "metadata"] { extra[key] = nil }
        if wrapper != nil, extra["name"] == nil, object["name"] != nil, json["blueprint"]?["name"] == nil {
            // The name came from `controller`; it is not a key of the inner blueprint.
        }
        self.extra = extra
    }

    static func modules(_ items: [JSON], path: String) throws(BlueprintError) -> [BlueprintModule] {
        var modules: [BlueprintModule] = []
        for (index, item) in items.enumerated() {
            modules.append(try BlueprintModule(json: item, path: "\(path)[\(index)]"))
        }
        return modules
    }

    /// The blueprint as JSON, in the form it was read.
    public var json: JSON {
        var object = extra
        if wrapper == nil || !name.isEmpty { object["name"] = .string(name) }
        object["flow"] = .array(flow.map(\.json))
        if let metadata { object["metadata"] = metadata }
        guard var wrapper else { return .object(object) }
        if wrapper["controller"]?["name"]?.stringValue == name { object["name"] = nil }
        wrapper["blueprint"] = .object(object)
        return .object(wrapper)
    }

    /// Every module, depth first, with those in router routes and error handlers.
    public var allModules: [BlueprintModule] {
        var result: [BlueprintModule] = []
        func walk(_ flow: [BlueprintModule]) {
            for module in flow {
                result.append(module)
                for route in module.routes ?? [] { walk(route.flow) }
                walk(module.onerror ?? [])
            }
        }
        walk(flow)
        return result
    }

    /// The flow holding the module (the main flow or a router's route) and its index there; nil for an id
    /// that is not in the flow or is inside an error handler.
    public func locate(_ id: Int) -> (flow: [BlueprintModule], index: Int)? {
        func search(_ flow: [BlueprintModule]) -> (flow: [BlueprintModule], index: Int)? {
            for (index, module) in flow.enumerated() {
                if module.id == id { return (flow, index) }
                for route in module.routes ?? [] {
                    if let found = search(route.flow) { return found }
                }
            }
            return nil
        }
        return search(flow)
    }

    /// The scenario settings of `metadata.scenario`.
    public var settings: ScenarioSettings { ScenarioSettings(metadata?["scenario"]) }
}

/// One module of a flow (docs/reference/make.md §1.2).
public struct BlueprintModule: Sendable, Equatable {
    public var id: Int
    /// "app:ModuleName", case-sensitive.
    public var module: String
    public var version: Int?
    public var parameters: JSON?
    public var mapper: JSON?
    public var filter: JSON?
    public var metadata: JSON?
    public var routes: [BlueprintRoute]?
    public var onerror: [BlueprintModule]?
    public var flags: JSON?
    public var extra: [String: JSON]

    init(json: JSON, path: String) throws(BlueprintError) {
        guard let object = json.objectValue else {
            throw BlueprintError(path: path, message: "expected a module object")
        }
        guard let id = object["id"]?.intValue, id > 0 else {
            throw BlueprintError(path: path + ".id", message: "a module needs a positive integer id")
        }
        guard let module = object["module"]?.stringValue, !module.isEmpty else {
            throw BlueprintError(
                path: path + ".module", message: "a module needs a name such as \"http:ActionSendData\"")
        }
        self.id = id
        self.module = module
        version = object["version"]?.intValue
        parameters = object["parameters"]
        mapper = object["mapper"]
        filter = object["filter"]
        metadata = object["metadata"]
        flags = object["flags"]
        if let routes = object["routes"] {
            guard let items = routes.arrayValue else {
                throw BlueprintError(path: path + ".routes", message: "expected an array")
            }
            var parsed: [BlueprintRoute] = []
            for (index, item) in items.enumerated() {
                parsed.append(try BlueprintRoute(json: item, path: "\(path).routes[\(index)]"))
            }
            self.routes = parsed
        } else {
            routes = nil
        }
        if let onerror = object["onerror"] {
            guard let items = onerror.arrayValue else {
                throw BlueprintError(path: path + ".onerror", message: "expected an array of modules")
            }
            self.onerror = try Blueprint.modules(items, path: path + ".onerror")
        } else {
            onerror = nil
        }
        var extra = object
        for key in [
            "id", "module", "version", "parameters", "mapper", "filter", "metadata", "routes", "onerror", "flags",
        ] {
            extra[key] = nil
        }
        self.extra = extra
        rawVersion = object["version"]
    }

    /// `version` as written (kept when it is not an integer).
    var rawVersion: JSON?

    public var json: JSON {
        var object = extra
        object["id"] = .int(id)
        object["module"] = .string(module)
        if let rawVersion { object["version"] = rawVersion }
        if let parameters { object["parameters"] = parameters }
        if let mapper { object["mapper"] = mapper }
        if let filter { object["filter"] = filter }
        if let metadata { object["metadata"] = metadata }
        if let routes { object["routes"] = .array(routes.map(\.json)) }
        if let onerror { object["onerror"] = .array(onerror.map(\.json)) }
        if let flags { object["flags"] = flags }
        return .object(object)
    }

    /// The label a designer gave the module, or its name.
    public var label: String { metadata?["designer"]?["name"]?.stringValue ?? module }
}

/// A router's route: a flow of its own, possibly disabled.
public struct BlueprintRoute: Sendable, Equatable {
    public var flow: [BlueprintModule]
    public var extra: [String: JSON]

    init(json: JSON, path: String) throws(BlueprintError) {
        guard let object = json.objectValue, let flow = object["flow"]?.arrayValue else {
            throw BlueprintError(path: path, message: "a route needs a flow array")
        }
        self.flow = try Blueprint.modules(flow, path: path + ".flow")
        var extra = object
        extra["flow"] = nil
        self.extra = extra
    }

    public var isDisabled: Bool { extra["disabled"] == .bool(true) }

    public var json: JSON {
        var object = extra
        object["flow"] = .array(flow.map(\.json))
        return .object(object)
    }
}

/// `metadata.scenario` (docs/reference/make.md §1.1).
public struct ScenarioSettings: Sendable, Equatable {
    public var sequential = false
    public var maxErrors = 3
    public var confidential = false
    /// Store incomplete executions instead of rolling back.
    public var dlq = false
    public var roundtrips = 1

    init(_ json: JSON?) {
        if case .bool(let value)? = json?["sequential"] { sequential = value }
        if let value = json?["maxErrors"]?.intValue { maxErrors = value }
        if case .bool(let value)? = json?["confidential"] { confidential = value }
        if case .bool(let value)? = json?["dlq"] { dlq = value }
        if let value = json?["roundtrips"]?.intValue { roundtrips = max(1, value) }
    }
}

/// Why a blueprint file cannot be read, with where.
public struct BlueprintError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
