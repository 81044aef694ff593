#!/bin/sh
# Write an enriched items file with N valid, selectable items to stdout,
# for benchmarks and tests.  Deterministic for a given N.
#   scripts/gen-enriched.sh 8 > /tmp/enriched_bench.json
set -eu
n=${1:?usage: gen-enriched.sh N}
printf '{\n  "enriched_at": "2026-11-20T06:04:40.120000+00:00",\n'
printf '  "total_items": %d,\n  "items": [\n' "$n"
i=1
while [ "$i" -le "$n" ]; do
	sep=","
	[ "$i" -eq "$n" ] && sep=""
	q=$(( 50 + (i * 37) % 50 ))
	cat <<ITEM
    {
      "original": {
        "id": "bench_$i",
        "title": "Benchmark story $i about storage engine $i",
        "content": "Storage engine $i adds a new write path; details at https://bench.example.org/post/$i for readers.",
        "source": "hackernews",
        "url": "https://bench.example.org/post/$i",
        "author": "author$i",
        "collected_at": "2026-11-20 06:01:12.000000+00:00",
        "metadata": {}
      },
      "research_summary": "Storage engine $i changes how writes reach disk. The project reports lower tail latency on NVMe drives and simpler recovery after crashes.",
      "related_sources": [],
      "topics": ["storage", "databases", "engine $i", "performance"],
      "quality_score": 0.$q,
      "heuristic_score": 0.5,
      "ai_score": 0.6,
      "enriched_at": "2026-11-20T06:04:40.120000+00:00"
    }$sep
ITEM
	i=$((i + 1))
done
printf '  ]\n}\n'
