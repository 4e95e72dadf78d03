//! What a process has cost, read from Linux's `/proc`: CPU time (user + system, every thread)
//! and resident memory (now and at its peak). This is how the harness charges each request its
//! share of the server's CPU without instrumenting the server.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context as _, anyhow};

/// A process being watched.
#[derive(Debug, Clone)]
pub struct ProcessStats {
    proc_dir: PathBuf,
    ticks_per_second: u64,
}

/// Resident memory, in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// `VmRSS`: resident now.
    pub resident_kib: u64,
    /// `VmHWM`: the most ever resident (since start, or since [`ProcessStats::reset_peak`]).
    pub peak_kib: u64,
}

impl ProcessStats {
    pub fn of_pid(pid: u32) -> ProcessStats {
        ProcessStats::at(PathBuf::from(format!("/proc/{pid}")))
    }

    /// The harness itself, to tell whether the client, not the server, was the bottleneck.
    pub fn of_this_process() -> ProcessStats {
        ProcessStats::at(PathBuf::from("/proc/self"))
    }

    fn at(proc_dir: PathBuf) -> ProcessStats {
        ProcessStats {
            proc_dir,
            ticks_per_second: clock_ticks_per_second(),
        }
    }

    /// CPU time used so far, user and system, of all threads, in milliseconds.
    pub fn cpu_millis(&self) -> anyhow::Result<f64> {
        let path = self.proc_dir.join("stat");
        let stat = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        // The command name (field 2) is in parentheses and may hold spaces: count fields from
        // the last parenthesis. After it come state (field 3) … utime (14) and stime (15).
        let after_name = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .ok_or_else(|| anyhow!("unexpected {}", path.display()))?;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |index: usize| -> anyhow::Result<u64> {
            fields
                .get(index)
                .and_then(|field| field.parse::<u64>().ok())
                .ok_or_else(|| anyhow!("unexpected {}", path.display()))
        };
        let total_ticks = ticks(11)? + ticks(12)?;
        Ok(total_ticks as f64 * 1000.0 / self.ticks_per_second as f64)
    }

    pub fn memory(&self) -> anyhow::Result<Memory> {
        let path = self.proc_dir.join("status");
        let status = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let field = |name: &str| -> anyhow::Result<u64> {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .ok_or_else(|| anyhow!("no {name} in {}", path.display()))
        };
        Ok(Memory {
            resident_kib: field("VmRSS:")?,
            peak_kib: field("VmHWM:")?,
        })
    }

    /// Resets the peak resident size to the current one (`clear_refs` 5, Linux ≥ 4.0), so that
    /// each request's peak is its own and not an earlier request's. Returns whether the kernel
    /// allowed it; without it, peaks are "since start".
    pub fn reset_peak(&self) -> bool {
        std::fs::write(self.proc_dir.join("clear_refs"), "5").is_ok()
    }
}

/// CPU used so far by each of a changing set of processes (a database server's backends, which
/// come and go with its clients' connections), by process id. Processes that cannot be read
/// (gone, or on another machine) are left out.
pub fn cpu_millis_by_pid(pids: &[u32]) -> HashMap<u32, f64> {
    let ticks_per_second = clock_ticks_per_second();
    pids.iter()
        .filter_map(|&pid| {
            let process = ProcessStats {
                proc_dir: PathBuf::from(format!("/proc/{pid}")),
                ticks_per_second,
            };
            Some((pid, process.cpu_millis().ok()?))
        })
        .collect()
}

/// The CPU a set of processes used between two [`cpu_millis_by_pid`] readings: a process that
/// appeared meanwhile counts in full; one that ended meanwhile is lost (an undercount).
pub fn cpu_millis_between(before: &HashMap<u32, f64>, after: &HashMap<u32, f64>) -> f64 {
    after
        .iter()
        .map(|(pid, &used)| used - before.get(pid).copied().unwrap_or(0.0))
        .sum()
}

/// The machine's load averages over 1, 5 and 15 minutes, as `uptime` shows them: a figure
/// measured while other work ran (a build, tests) is not comparable, and this tells.
pub fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let averages: Vec<&str> = text.split_whitespace().take(3).collect();
    (averages.len() == 3).then(|| averages.join(" "))
}

/// Kernel clock ticks per second, the unit of `/proc/PID/stat` times. `getconf` knows it; 100
/// is what every common Linux configuration uses when it cannot be asked.
fn clock_ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .filter(|&ticks| ticks > 0)
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_used_some_cpu_and_memory() {
        let stats = ProcessStats::of_this_process();
        let mut spin = 0u64;
        for index in 0..20_000_000u64 {
            spin = spin.wrapping_add(index * index);
        }
        assert!(spin > 0);
        assert!(stats.cpu_millis().unwrap() >= 0.0);
        let memory = stats.memory().unwrap();
        assert!(memory.resident_kib > 0);
        assert!(memory.peak_kib >= memory.resident_kib);
    }
}
