#!/usr/bin/env bash
# Deploy benchmark: resilience's embedded engine against docker-compose 1.29 on the same containers, in one run.
# Not a test: run it by hand (as root, with dockerd up): bench/deploy.sh  [REPS=5 PREVIEWS=10 KEEP=1 to keep the temp dir]
#
# Two copies of the project run side by side on one Docker engine:
#   us      stacks bench-mainpc / bench-pc2 on 127.0.0.22 / .23, deployed by `resilience up`
#   compose projects benchc-mainpc / benchc-pc2 on 127.0.0.32 / .33: a docker-compose.yml per machine generated
#           from `resilience render` of a third stack copy (same images, args, host networking, binds, volumes)
# Everything created here carries "bench-" or "benchc-" in its name and is removed on exit.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLI="${RESILIENCE_CLI:-$REPO/resilience}"
REPS="${REPS:-5}"
PREVIEWS="${PREVIEWS:-10}"
MACHINES=(mainpc pc2)
declare -A OUR_ADDR=([mainpc]=127.0.0.22 [pc2]=127.0.0.23)
declare -A COMPOSE_ADDR=([mainpc]=127.0.0.32 [pc2]=127.0.0.33)

WORK="$(mktemp -d /tmp/resilience-bench.XXXXXX)"
OURS="$WORK/ours"          # project copy for our stacks
THEIRS="$WORK/compose"     # project copy whose renders feed compose
LOG="$WORK/log"
mkdir -p "$OURS" "$THEIRS" "$LOG"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 COMPOSE_INTERACTIVE_NO_CLI=1

say() { printf '%s\n' "$*" >&2; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
fail() {
  say "bench: $*"
  exit 1
}

# ---------- the two project copies ----------

copy_project() {
  cp -r "$REPO/Pulumi.yaml" "$REPO/stacks" "$REPO/templates" "$1/"
}

# stack_file DIR STACK MACHINE ADDR_MAINPC ADDR_PC2 EDGE_INTERVAL
stack_file() {
  {
    echo "config:"
    echo "  resilience:machine: $3"
    echo "  resilience:rolloutWeek: 1"
    [ "$3" = pc2 ] && echo "  resilience:migrationBatches: 3"
    echo "  resilience:mainpcAddress: $4"
    echo "  resilience:pc2Address: $5"
    echo "  resilience:edgeScrapeInterval: $6"
    echo "  resilience:runtimeProject: $REPO/runtime/Resilience.Runtime"
  } >"$1/Pulumi.$2.yaml"
}

ours() { RESILIENCE_PROJECT="$OURS" RESILIENCE_BACKEND_URL="file://$WORK/backend" "$CLI" "$@"; }
theirs() { RESILIENCE_PROJECT="$THEIRS" RESILIENCE_BACKEND_URL="file://$WORK/backend-unused" "$CLI" "$@"; }

# ---------- compose files from the rendered graph ----------

# compose_file RESOURCES_JSON OUR_STACK: services from the docker:container resources, images swapped for ours.
compose_file() {
  jq --arg ours "$2" '
    [.resources[] | select(.type == "docker:container")] as $containers
    | ($containers | map({key: .urn, value: .name}) | from_entries) as $service
    | {
        version: "3.8",
        services: ($containers | map({key: .name, value: ({
            container_name: .inputs.name,
            image: (.inputs.image | sub("^resilience-[^/]+/"; "resilience-\($ours)/")),
            network_mode: .inputs.networkMode,
            restart: .inputs.restart,
            command: .inputs.command,
            volumes: [.inputs.mounts[] | if .type == "bind"
              then {type: "bind", source, target, read_only: (.readOnly // false)}
              else {type: "volume", source, target} end],
            depends_on: [.dependsOn[] | $service[.] // empty]
          } + (if .inputs.user then {user: .inputs.user} else {} end))}) | from_entries),
        volumes: ([.resources[] | select(.type == "docker:volume") | {key: .inputs.name, value: {name: .inputs.name}}] | from_entries)
      }' "$1"
}

ready_urls() { jq -r '.resources[] | select(.type == "docker:container") | .inputs.ready.url // empty' "$1"; }

# Renders the compose copy of MACHINE with EDGE_INTERVAL into DIR and puts its files where the graph binds them.
render_compose() {
  local machine=$1 interval=$2 out=$3
  stack_file "$THEIRS" "benchc-$machine" "$machine" "${COMPOSE_ADDR[mainpc]}" "${COMPOSE_ADDR[pc2]}" "$interval"
  rm -rf "$out"
  theirs render --stack "benchc-$machine" --out "$out" >/dev/null
}

compose() {
  local machine=$1
  shift
  docker-compose -p "benchc-$machine" -f "$WORK/compose-$machine/docker-compose.yml" "$@"
}

# Polls every URL until it answers 200 (like the engine's readiness probe: 100 ms apart, 2 s per attempt).
wait_ready() {
  local deadline=$(($(now_ms) + 120000))
  for url in "$@"; do
    until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
      [ "$(now_ms)" -lt "$deadline" ] || {
        say "$url not ready within 120 s"
        return 1
      }
      sleep 0.1
    done
  done
}

# ---------- cleaning ----------

our_containers() { docker ps -aq --filter name='^bench-(mainpc|pc2)-'; }
our_volumes() { docker volume ls -q --filter name='^bench-(mainpc|pc2)-'; }

# Our stacks back to nothing but their images (the runtime's publish is a build cache in the repo's runtime project):
# containers, volumes, rendered files and state gone.
reset_ours() {
  local c v
  c="$(our_containers)"
  [ -z "$c" ] || docker rm -f $c >/dev/null
  v="$(our_volumes)"
  [ -z "$v" ] || docker volume rm $v >/dev/null
  rm -rf "$WORK/backend"
  rm -rf "$OURS/var"
}

reset_compose() {
  for m in "${MACHINES[@]}"; do compose "$m" down -v --remove-orphans >>"$LOG/compose.log" 2>&1; done
}

# Exactly our two stacks' images: other engineers' stacks may share the "bench-" prefix.
our_images() { for m in "${MACHINES[@]}"; do docker images -q --filter reference="resilience-bench-$m/*"; done | sort -u; }

cleanup() {
  local status=$?
  say "bench: cleaning up"
  for m in "${MACHINES[@]}"; do [ -f "$WORK/compose-$m/docker-compose.yml" ] && compose "$m" down -v --remove-orphans >>"$LOG/compose.log" 2>&1; done
  reset_ours || true
  local i
  i="$(our_images)"
  [ -z "$i" ] || docker rmi $i >/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then say "bench: kept $WORK"; else rm -rf "$WORK"; fi
  exit $status
}
trap cleanup EXIT

# ---------- measuring ----------

declare -A SAMPLES=()
record() { SAMPLES[$1]+="$2 "; }

median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# time_it NAME CMD...: runs CMD, records its wall time in ms under NAME; its output goes to $LOG/NAME.log.
time_it() {
  local name=$1 start end
  shift
  start=$(now_ms)
  "$@" >>"$LOG/$name.log" 2>&1 || {
    tail -20 "$LOG/$name.log" >&2
    fail "$name failed"
  }
  end=$(now_ms)
  record "$name" $((end - start))
}

us_up_both() { for m in "${MACHINES[@]}"; do ours up --stack "bench-$m" --yes || return 1; done; }

# A no-op up must change nothing: the summary line lists only unchanged resources.
us_noop_both() {
  local m out
  for m in "${MACHINES[@]}"; do
    out="$(ours up --stack "bench-$m" --yes)" || return 1
    echo "$out"
    grep -Eq '^Resources: [0-9]+ unchanged$' <<<"$out" || return 1
  done
}

compose_cold() {
  for m in "${MACHINES[@]}"; do compose "$m" up -d || return 1; done
  wait_ready "${COMPOSE_READY[@]}"
}

compose_noop() { for m in "${MACHINES[@]}"; do compose "$m" up -d || return 1; done; }

us_change() {
  stack_file "$OURS" bench-pc2 pc2 "${OUR_ADDR[mainpc]}" "${OUR_ADDR[pc2]}" "$1"
  local start
  start=$(now_ms)
  ours up --stack bench-pc2 --yes >>"$LOG/us-change.log" 2>&1 || fail "our config change failed"
  record us-change $(($(now_ms) - start))
}

# The operator's compose change: put the re-rendered prometheus.yml in place, `up -d` (which does not notice),
# then make Prometheus read it: HOW=reload posts /-/reload, HOW=restart restarts the container.
compose_change() {
  local interval=$1 how=$2 start
  start=$(now_ms)
  cp "$WORK/compose-pc2/staged-$interval/files/edgehub/prometheus.yml" "$THEIRS/var/benchc-pc2/edgehub/prometheus.yml"
  compose pc2 up -d >>"$LOG/compose-change.log" 2>&1 || fail "compose up failed"
  if [ "$how" = reload ]; then
    curl -fsS -X POST "http://${COMPOSE_ADDR[pc2]}:9100/-/reload" >>"$LOG/compose-change.log" 2>&1 || fail "compose reload failed"
  else
    compose pc2 restart edgehub >>"$LOG/compose-change.log" 2>&1 || fail "compose restart failed"
  fi
  wait_ready "http://${COMPOSE_ADDR[pc2]}:9100/-/ready"
  record "compose-change-$how" $(($(now_ms) - start))
}

# Both hubs must really scrape at the new interval afterwards (checked outside the timed part).
expect_interval() {
  local addr=$1 want=$2 got
  got="$(curl -fsS "http://$addr:9100/api/v1/status/config" | jq -r .data.yaml | awk '/scrape_interval:/ {print $2; exit}')"
  [ "$got" = "$want" ] || fail "EdgeHub on $addr scrapes every $got, expected $want"
}

# ---------- setup ----------

command -v docker-compose >/dev/null || fail "docker-compose is not installed (scripts/setup installs it)"
command -v jq >/dev/null || fail "jq is not installed"
docker info >/dev/null 2>&1 || fail "dockerd is not running (scripts/setup starts it)"
[ -z "$(docker ps -aq --filter name='^benchc?-(mainpc|pc2)-')" ] || fail "bench containers already exist (an earlier run?); remove them first"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
say "bench: building the CLI if needed"
"$CLI" --version >/dev/null

copy_project "$OURS"
copy_project "$THEIRS"
for m in "${MACHINES[@]}"; do
  stack_file "$OURS" "bench-$m" "$m" "${OUR_ADDR[mainpc]}" "${OUR_ADDR[pc2]}" 15s
  ours render --stack "bench-$m" --out "$WORK/render-ours-$m" >/dev/null
done

COMPOSE_READY=()
for m in "${MACHINES[@]}"; do
  dir="$WORK/compose-$m"
  render_compose "$m" 15s "$dir/render"
  mkdir -p "$THEIRS/var/benchc-$m"
  cp -r "$dir/render/files/." "$THEIRS/var/benchc-$m/"
  compose_file "$dir/render/resources.json" "bench-$m" >"$dir/docker-compose.yml"
  mapfile -t -O "${#COMPOSE_READY[@]}" COMPOSE_READY < <(ready_urls "$dir/render/resources.json")
done
render_compose pc2 15s "$WORK/compose-pc2/staged-15s"
render_compose pc2 20s "$WORK/compose-pc2/staged-20s"
diff -q "$WORK/compose-pc2/staged-15s/files/edgehub/prometheus.yml" "$WORK/compose-pc2/staged-20s/files/edgehub/prometheus.yml" >/dev/null &&
  fail "the 20s render did not change EdgeHub's prometheus.yml"
say "bench: compose waits for ${COMPOSE_READY[*]}"

# ---------- 1. cold deploy with the images absent (ours only: compose needs the images we build) ----------

i="$(our_images)"
[ -z "$i" ] || docker rmi $i >/dev/null
say "bench: cold deploy, images absent (ours, once)"
time_it us-cold-images-absent us_up_both

# ---------- 2. cold deploy, images present ----------

for r in $(seq 1 "$REPS"); do
  say "bench: cold deploy $r/$REPS"
  reset_ours
  reset_compose
  if ((r % 2)); then
    time_it us-cold us_up_both
    time_it compose-cold compose_cold
  else
    time_it compose-cold compose_cold
    time_it us-cold us_up_both
  fi
done

# ---------- 3. no-op up ----------

for r in $(seq 1 "$REPS"); do
  say "bench: no-op up $r/$REPS"
  time_it us-noop us_noop_both
  time_it compose-noop compose_noop
done

# ---------- 4. preview of an unchanged stack ----------

for r in $(seq 1 "$PREVIEWS"); do
  for m in "${MACHINES[@]}"; do time_it "us-preview-$m" ours preview --stack "bench-$m" --expect-no-changes; done
  time_it us-startup "$CLI" --version
done
say "bench: previews done"

# ---------- 5. config change: the edge scrape interval, 15s <-> 20s ----------

US_INTERVAL=15s
COMPOSE_INTERVAL=15s
other() { [ "$1" = 15s ] && echo 20s || echo 15s; }
for r in $(seq 1 "$REPS"); do
  say "bench: config change $r/$REPS"
  US_INTERVAL=$(other "$US_INTERVAL")
  us_change "$US_INTERVAL"
  expect_interval "${OUR_ADDR[pc2]}" "$US_INTERVAL"
  for how in reload restart; do
    COMPOSE_INTERVAL=$(other "$COMPOSE_INTERVAL")
    compose_change "$COMPOSE_INTERVAL" "$how"
    expect_interval "${COMPOSE_ADDR[pc2]}" "$COMPOSE_INTERVAL"
  done
done

# ---------- report ----------

m() { median <<<"${SAMPLES[$1]:-}"; }
row() { # label ours compose goal
  local u c ratio
  u=$(m "$2")
  c=$(m "$3")
  ratio=$(awk -v u="$u" -v c="$c" 'BEGIN {printf "%.2f", u / c}')
  printf '%-34s %9s %9s %7s   %s\n' "$1" "$u" "$c" "$ratio" "$4"
}

echo
echo "resilience vs docker-compose $(docker-compose version --short), $REPS repetitions (preview: $PREVIEWS), medians in ms"
echo "host: $(nproc) cores, docker $(docker version -f '{{.Server.Version}}'), load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
printf '%-34s %9s %9s %7s   %s\n' "phase (both stacks unless noted)" "us" "compose" "us/cmp" "goal"
row "cold deploy, images present" us-cold compose-cold "<= 1.00"
row "no-op up" us-noop compose-noop "<= 0.50"
row "config change (pc2), compose reload" us-change compose-change-reload ""
row "config change (pc2), compose restart" us-change compose-change-restart ""
printf '%-34s %9s\n' "cold deploy, images absent (us, 1x)" "$(m us-cold-images-absent)"
for mm in "${MACHINES[@]}"; do printf '%-34s %9s %9s %7s   %s\n' "preview unchanged bench-$mm" "$(m "us-preview-$mm")" "" "" "< 1000 ms"; done
printf '%-34s %9s\n' "CLI start (resilience --version)" "$(m us-startup)"
echo
echo "our up's own 'Duration' line (lock, plan, apply, history; not process start, config or program), mean per run in ms:"
for k in us-cold-images-absent us-cold us-noop us-change; do
  awk -v k="$k" -v runs="$(wc -w <<<"${SAMPLES[$k]}")" '/^Duration: / {sub("s", "", $2); t += $2 * 1000} END {printf "  %-28s %9.0f\n", k, t / runs}' "$LOG/$k.log"
done
echo
echo "samples (ms):"
for k in $(printf '%s\n' "${!SAMPLES[@]}" | sort); do printf '  %-28s %s\n' "$k" "${SAMPLES[$k]}"; done
