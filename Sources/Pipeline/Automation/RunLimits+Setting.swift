import Automation
import Storage

extension RunLimits {
    /// The defaults with a workspace's own limits over them, each kept between 1 and its ceiling.
    public init(_ setting: ScenarioLimitsSetting) {
        let (defaults, ceilings) = (RunLimits.defaults, RunLimits.ceilings)
        self.init(
            operations: min(max(setting.operations ?? defaults.operations, 1), ceilings.operations),
            seconds: min(max(setting.seconds ?? defaults.seconds, 1), ceilings.seconds),
            bytes: min(max(setting.bytes ?? defaults.bytes, 1), ceilings.bytes))
    }
}
