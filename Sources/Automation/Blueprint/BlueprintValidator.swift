import LeadgenCore

/// What the engine cannot run in a blueprint, module by module. A blueprint is imported whatever this
/// finds; the list tells the user what to replace before it can run.
public struct BlueprintProblem: Sendable, Equatable, CustomStringConvertible {
    public var moduleID: Int?
    public var module: String?
    public var message: String

    public init(moduleID: Int?, module: String?, message: String) {
        self.moduleID = moduleID
        self.module = module
        self.message = message
    }

    public var description: String {
        guard let moduleID else { return message }
        return "module \(moduleID) (\(module ?? "?")): \(message)"
    }
}

public enum BlueprintValidator {
    /// Duplicate module ids, modules outside `supported` ("app:Module"), and filter operators Make does not
    /// know.
    public static func problems(_ blueprint: Blueprint, supported: Set<String>) -> [BlueprintProblem] {
        var problems: [BlueprintProblem] = []
        var seen: Set<Int> = []
        for module in blueprint.allModules {
            if !seen.insert(module.id).inserted {
                problems.append(
                    BlueprintProblem(moduleID: module.id, module: module.module, message: "the id is used twice"))
            }
            if !supported.contains(module.module) {
                problems.append(
                    BlueprintProblem(
                        moduleID: module.id, module: module.module,
                        message: "the engine has no native \(module.module)"))
            }
            for op in operators(in: module.filter) where !IMLFilter.operators.contains(op) {
                problems.append(
                    BlueprintProblem(
                        moduleID: module.id, module: module.module, message: "unknown filter operator \(op)"))
            }
        }
        return problems
    }

    static func operators(in filter: JSON?) -> [String] {
        guard let groups = filter?["conditions"]?.arrayValue else { return [] }
        return groups.flatMap { $0.arrayValue ?? [] }.compactMap { $0["o"]?.stringValue }
    }
}
