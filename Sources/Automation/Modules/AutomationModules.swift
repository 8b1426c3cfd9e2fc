/// Every native module Leadgen runs.
public enum AutomationModules {
    public static func all() -> [String: any NativeModule] {
        CoreModules.all()
    }
}
