import Testing
@testable import TesseraSLURM

@Suite struct StatusParsingTests {
    func summary(_ tasks: [TaskStatus]) -> [String] {
        tasks.map { "\($0.index) \($0.state.rawValue) \($0.slurmState) \($0.exitCode.map(String.init) ?? "-")" }
    }

    @Test func pendingArrayExpandsItsRange() {
        let tasks = ScontrolParser.tasks(Recorded.pendingArray)
        #expect(summary(tasks) == ["0 pending PENDING 0", "1 pending PENDING 0", "2 pending PENDING 0", "3 pending PENDING 0"])
        #expect(tasks.allSatisfy { $0.stderrPath == nil && $0.reason == nil })
    }

    @Test func mixedArray() {
        let tasks = ScontrolParser.tasks(Recorded.mixedArray)
        #expect(summary(tasks) == ["0 running RUNNING 0", "1 failed FAILED 3", "2 pending PENDING 0", "3 pending PENDING 0"])
        #expect(tasks[1].reason == "NonZeroExitCode")
        #expect(tasks[1].stderrPath == "/tmp/sl/s-13_1.err")
        #expect(tasks[2].reason == "Resources")
        let status = JobStatus(jobID: "13", tasks: tasks)
        #expect(status.summary == "4 tasks: 0 completed, 1 failed, 1 running, 2 pending")
        #expect(!status.isFinished)
    }

    @Test func finishedArray() {
        let status = JobStatus(jobID: "1", tasks: ScontrolParser.tasks(Recorded.finishedArray))
        #expect(summary(status.tasks) == ["0 completed COMPLETED 0", "1 failed FAILED 3", "2 completed COMPLETED 0", "3 completed COMPLETED 0"])
        #expect(status.isFinished)
        #expect(status.tasks[1].signal == 0)
    }

    @Test func singleJobIsTaskZero() {
        let tasks = ScontrolParser.tasks(Recorded.singleJob)
        #expect(summary(tasks) == ["0 completed COMPLETED 0"])
    }

    @Test func failedBenchTask() {
        let tasks = ScontrolParser.tasks(Recorded.failedBench)
        #expect(summary(tasks) == ["0 completed COMPLETED 0", "1 failed FAILED 64"])
        #expect(tasks[1].stderrPath == "/tmp/sl/out2/bench-distance-11_1.err")
    }

    @Test func valuesWithSpacesStayWhole() {
        let fields = ScontrolParser.fields(Recorded.pendingArray)
        #expect(fields["Command"] == "/tmp/sl/job.sh x")
        #expect(fields["WorkDir"] == "/tmp/sl")
        #expect(fields["AllocNode:Sid"] == "localhost:7787")
        #expect(fields["Power"] == "")
        let tricky = ScontrolParser.fields("JobId=9 JobState=FAILED Command=/x/job.sh a=b ExitCode=1:0 StdErr=/a b/c.err")
        #expect(tricky["Command"] == "/x/job.sh a=b")
        #expect(tricky["ExitCode"] == "1:0")
        #expect(tricky["StdErr"] == "/a b/c.err")
    }

    @Test func timeoutAndCancelledCountAsFailed() {
        let tasks = ScontrolParser.tasks("JobId=12 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15\nJobId=13 JobState=CANCELLED Reason=None ExitCode=0:0")
        #expect(tasks.count == 1)  // two records without ArrayTaskId both claim task 0; the last one wins
        #expect(TaskStatus.state("TIMEOUT") == .failed)
        #expect(TaskStatus.state("COMPLETING") == .running)
        #expect(TaskStatus.state("OUT_OF_MEMORY") == .failed)
        let timeout = ScontrolParser.tasks("JobId=12 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15")[0]
        #expect(timeout.state == .failed && timeout.exitCode == 0 && timeout.signal == 15)
    }

    @Test func recordedTimeout() {
        let tasks = ScontrolParser.tasks(Recorded.timedOut)
        #expect(summary(tasks) == ["0 failed TIMEOUT 0"])
        #expect(tasks[0].signal == 15 && tasks[0].reason == "TimeLimit")
        #expect(tasks[0].stderrPath == "/tmp/sl/to.out")
    }

    @Test func ranges() {
        #expect(ScontrolParser.expandRange("0-3") == [0, 1, 2, 3])
        #expect(ScontrolParser.expandRange("1,3,5-6") == [1, 3, 5, 6])
        #expect(ScontrolParser.expandRange("0-15%4").count == 16)
        #expect(ScontrolParser.expandRange("7") == [7])
    }
}
