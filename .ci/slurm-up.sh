#!/usr/bin/env bash
# Sourced by .ci/run. When running as root with apt-get, installs Slurm and MUNGE if missing, writes a
# single-node slurm.conf for this machine, starts munged, slurmctld and slurmd directly (no systemd),
# exports SLURM_CONF and stops the daemons by PID when the calling shell exits. The Slurm test of the
# distributed engines needs it; elsewhere that test is skipped (and fails under CI=true).

occam_slurm_down() {
  local pid
  for pid in "${OCCAM_SLURM_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
}

occam_slurm_up() {
  if [ "$(id -u)" != 0 ]; then echo "slurm: not root, not starting Slurm"; return 0; fi
  if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    if ! command -v apt-get >/dev/null; then echo "slurm: no apt-get, not installing Slurm"; return 0; fi
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge; } >/dev/null 2>&1; then
      echo "slurm: apt-get install slurm-wlm munge failed"; return 0
    fi
  fi
  local dir host cpus memory
  dir=$(mktemp -d /tmp/occam-slurm.XXXXXX)
  host=$(hostname -s)
  cpus=$(nproc)
  memory=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
  mkdir -p "$dir/state" "$dir/spool"
  cat > "$dir/slurm.conf" <<CONF
ClusterName=occam-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  OCCAM_SLURM_PIDS=()
  trap occam_slurm_down EXIT

  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  if [ ! -s /etc/munge/munge.key ]; then
    /usr/sbin/mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  chown munge:munge /etc/munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
  chmod 400 /etc/munge/munge.key
  if ! munge -n >/dev/null 2>&1; then
    rm -f /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged || { echo "slurm: munged did not start"; return 0; }
  fi
  [ -s /run/munge/munged.pid ] && OCCAM_SLURM_PIDS+=("$(cat /run/munge/munged.pid)")

  /usr/sbin/slurmctld || { echo "slurm: slurmctld did not start (see $dir/slurmctld.log)"; return 0; }
  /usr/sbin/slurmd || { echo "slurm: slurmd did not start (see $dir/slurmd.log)"; return 0; }
  local i
  for i in $(seq 1 50); do
    [ -s "$dir/slurmctld.pid" ] && [ -s "$dir/slurmd.pid" ] && break
    sleep 0.2
  done
  OCCAM_SLURM_PIDS+=("$(cat "$dir/slurmctld.pid" 2>/dev/null)" "$(cat "$dir/slurmd.pid" 2>/dev/null)")
  for i in $(seq 1 60); do
    local state
    state=$(sinfo -h -o %T 2>/dev/null || true)
    if [ "${state%%$'\n'*}" = idle ]; then
      echo "slurm: single-node cluster up ($host, $cpus CPUs, SLURM_CONF=$SLURM_CONF)"
      return 0
    fi
    sleep 0.5
  done
  echo "slurm: the node did not become idle: $(sinfo -h -o '%T %E' 2>&1 | head -n 1)"
}

occam_slurm_up
