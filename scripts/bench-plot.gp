# Draws docs/benchmark-speedup.png for scripts/bench.sh: the speedup that
# articlegen reaches at each --jobs value against the ideal (speedup equal
# to the number of workers), with the generic process runners' rows as
# single points for comparison.  The numbers come from bench.sh; this file
# only decides how they look.
#
#   gnuplot -e "datafile='A'; runnerfile='B'; outfile='C.png'; \
#       subtitle='...'; haverunners=1" scripts/bench-plot.gp
#
# datafile:   lines "JOBS SPEEDUP", one per articlegen row
# runnerfile: "JOBS SPEEDUP" for GNU parallel, two blank lines, the same
#             for xargs -P

if (!exists("datafile")) datafile = 'speedup.dat'
if (!exists("runnerfile")) runnerfile = 'runners.dat'
if (!exists("outfile")) outfile = 'benchmark-speedup.png'
if (!exists("subtitle")) subtitle = ''
if (!exists("haverunners")) haverunners = 1

# pngcairo draws smoother lines; the libgd png terminal is the fallback
if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 900,600 enhanced font "sans,11"
} else {
	set terminal png size 900,600 font "sans,11"
}
set output outfile

set title "articlegen: speedup against worker processes\n{/*0.8 ".subtitle."}"
set xlabel "worker processes (--jobs; 1 is single-process mode)"
set ylabel "speedup over --jobs 1 (articles per second)"
set logscale xy 2
set xrange [0.8:45]
set yrange [0.8:45]
set xtics ("1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32)
set ytics ("1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32)
set grid xtics ytics lc rgb "#dddddd"
set key top left box opaque
set samples 200

if (haverunners) {
	plot x with lines dt 2 lw 2 lc rgb "#777777" title "ideal (speedup = jobs)", \
	    datafile using 1:2 with linespoints pt 7 ps 1.3 lw 2 \
	        lc rgb "#1f5fa8" title "articlegen --jobs N (M = 4 x N articles)", \
	    datafile using 1:2:(sprintf("%.2f", $2)) with labels offset 0,1.2 \
	        font ",9" tc rgb "#1f5fa8" notitle, \
	    runnerfile index 0 using 1:2 with points pt 5 ps 1.4 \
	        lc rgb "#c0392b" title "GNU parallel driving articlegen-worker -j", \
	    runnerfile index 1 using 1:2 with points pt 9 ps 1.6 \
	        lc rgb "#27ae60" title "xargs -P driving articlegen-worker -j"
} else {
	plot x with lines dt 2 lw 2 lc rgb "#777777" title "ideal (speedup = jobs)", \
	    datafile using 1:2 with linespoints pt 7 ps 1.3 lw 2 \
	        lc rgb "#1f5fa8" title "articlegen --jobs N (M = 4 x N articles)", \
	    datafile using 1:2:(sprintf("%.2f", $2)) with labels offset 0,1.2 \
	        font ",9" tc rgb "#1f5fa8" notitle, \
	    runnerfile index 0 using 1:2 with points pt 9 ps 1.6 \
	        lc rgb "#27ae60" title "xargs -P driving articlegen-worker -j"
}
