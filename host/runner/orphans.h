// What a workload starts and leaves behind when its worker ends. A worker leads a process group of
// its own, and the group is killed with it (subprocess.cc); a process that leaves the group or the
// session (setsid, a double fork, as a daemon does) escapes that. So polyhost is a child
// subreaper: such a process becomes polyhost's child when its parent ends, and is ended here.
#pragma once

namespace polyhost {

// Makes this process the reaper of its descendants' orphans (prctl PR_SET_CHILD_SUBREAPER). The
// children it has already (not a workload's) are never ended.
void adopt_orphans();

// Kills (SIGKILL) and reaps the children of this process that left its session: no worker does, so
// they are orphans a workload left. With NO_WORKER_RUNNING every child is one and is ended. Goes on
// while ending them leaves orphans of theirs behind.
void end_adopted_orphans(bool no_worker_running);

}  // namespace polyhost
