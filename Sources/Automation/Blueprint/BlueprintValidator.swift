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
            for problem in filterProblems(module.filter) {
                problems.append(
                    BlueprintProblem(moduleID: module.id, module: module.module, message: problem.description))
            }
        }
        return problems
    }

    /// What is wrong with a module's filter, by JSON path: a shape other than Make's (`conditions`, an array
    /// of OR-groups, each an array of AND-ed `{a, o, b}`), or an operator Make does not know.
    static func filterProblems(_ filter: JSON?) -> [JSONProblem] {
        var reader = JSONReader()
        guard let object = reader.object(filter, at: "filter") else { return reader.problems }
        let groupsPath = JSONReader.path("filter", "conditions")
        for (g, group) in (reader.array(object["conditions"], at: groupsPath) ?? []).enumerated() {
            let groupPath = JSONReader.path(groupsPath, g)
            for (c, condition) in (reader.array(group, at: groupPath) ?? []).enumerated() {
                let path = JSONReader.path(groupPath, c)
                guard let condition = reader.object(condition, at: path) else { continue }
                let operatorPath = JSONReader.path(path, "o")
                if let op = reader.string(condition["o"], at: operatorPath), !IMLFilter.operators.contains(op) {
                    reader.fail(operatorPath, "unknown filter operator \(op)")
                }
            }
        }
        return reader.problems
    }
}
