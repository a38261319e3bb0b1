"""Bahasa Indonesia for the Reports and Trends tabs, the batch ticket dialog, the dosing curve, the plant
overview (tiles and line detail) and the history's status words (source text -> translation).

The exported report files and the printed ticket stay English (plant records); only the window's words are
here. Short words that other parts of the window may say differently are keyed "Context|source".
"""

WORDS = {
    # main window: the two tabs and the history's double-click hint (used once main_window.py says them
    # through tr(); "Tr&en" and "Lap&oran" keep clear of Alt+T (Tampilan) and Alt+R (Riwayat))
    "Rep&orts": "Lap&oran",
    "&Trends": "Tr&en",
    "Double-click a row for the batch ticket and its dosing curve":
        "Klik dua kali satu baris untuk tiket batch dan kurva penimbangannya",
    # reports tab: controls
    "ReportsTab|This shift": "Shift ini",
    "ReportsTab|Today": "Hari ini",
    "ReportsTab|Yesterday": "Kemarin",
    "Last 7 days": "7 hari terakhir",
    "Chosen times": "Waktu pilihan",
    "Ra&nge:": "&Rentang:",
    "ReportsTab|to": "sampai",
    "Plant time ({zone})": "Waktu pabrik ({zone})",
    "ReportsTab|Refresh": "Muat ulang",
    "TrendsTab|Refresh": "Muat ulang",
    "Export {format}…": "Ekspor {format}…",
    "Export the report as {format}": "Ekspor laporan sebagai {format}",
    "Excel workbook (*.xlsx)": "Buku kerja Excel (*.xlsx)",
    # reports tab: title line
    "Shift {shift} from {start} to {end} ({zone})": "Shift {shift} dari {start} sampai {end} ({zone})",
    "{start} to {end} ({zone})": "{start} sampai {end} ({zone})",
    "Cannot show this range: {error}": "Rentang ini tidak dapat ditampilkan: {error}",
    "Loading the report of {range}…": "Memuat laporan {range}…",
    "Report unavailable: the database cannot be read": "Laporan tidak tersedia: database tidak dapat dibaca",
    "{count} archived batch": "{count} batch di arsip",
    "{count} archived batches": "{count} batch di arsip",
    "ReportsTab|line {line}": "lini {line}",
    "ReportsTab|all lines": "semua lini",
    "Production report {range} · {batches} · {line}": "Laporan produksi {range} · {batches} · {line}",
    "Export failed: {error}": "Ekspor gagal: {error}",
    # reports tab: the tables (the files keep these words in English)
    "Batches by final status": "Batch per status akhir",
    "Completed batches per product": "Batch selesai per produk",
    "Consumption per silo (all archived batches)": "Pemakaian per silo (semua batch di arsip)",
    "Out of tolerance": "Di luar toleransi",
    "Out of tolerance: verdicts are not recorded yet": "Di luar toleransi: hasil uji belum dicatat",
    "Tolerance verdicts are not recorded yet": "Hasil uji toleransi belum dicatat",
    "ReportsTab|Batches": "Jumlah batch",
    "Deviation kg": "Deviasi kg",
    "Deviation %": "Deviasi %",
    "Finished kg": "Hasil kg",
    "By hand kg": "Manual kg",
    "Open by hand": "OPEN manual",
    "Hand-added components (completed batches)": "Bahan tambahan manual (batch selesai)",
    "Weighed": "Ditimbang",
    "Open": "OPEN",
    "Open target kg": "Target OPEN kg",
    "ReportsTab|Silo": "Silo",
    "ReportsTab|Silos": "Silo",
    "ReportsTab|Kg": "Kg",
    "ReportsTab|Total": "Total",
    "ReportsTab|None": "Tidak ada",
    "Dosed, not produced (book in Odoo by hand)": "Ditakar, tidak diproduksi (bukukan manual di Odoo)",
    # reports tab: the tabs of the three lists under the totals, with how many rows each holds
    "Added by hand": "Ditambah manual",
    "Dosed, not produced": "Ditakar, tidak diproduksi",
    "{name} ({count})": "{name} ({count})",
    "Booked by": "Dibukukan oleh",
    # history status words (the batch table's FAILED = GAGAL); the report tables say them the same
    "COMPLETED": "SELESAI",
    "CANCELLED": "DIBATALKAN",
    "CLEARED": "DIKOSONGKAN",
    "OUT OF TOLERANCE": "DI LUAR TOLERANSI",
    # history tab: the rest of its words (OUTSIDE stays as the batch table's cells show it)
    "HistoryModel|Tolerance": "Toleransi",
    "HistoryModel|within": "dalam toleransi",
    "OUTSIDE: silo {silo} {deviation} kg": "OUTSIDE: silo {silo} {deviation} kg",
    "silo {silo}: target {target} kg, actual {actual} kg, deviation {deviation} kg, allowed ±{allowed} kg":
        "silo {silo}: target {target} kg, aktual {actual} kg, deviasi {deviation} kg, batas ±{allowed} kg",
    "HistoryTab|starts with": "diawali",
    "HistoryTab|contains": "memuat",
    "start of an MO, e.g. WH/MO/0012": "awal nomor MO, mis. WH/MO/0012",
    "The MO text matches the start of the MO name: this database has no trigram index (PostgreSQL pg_trgm or "
    "SQLite FTS5)":
        "Teks MO dicocokkan dengan awal nomor MO: database ini tidak punya indeks trigram (PostgreSQL pg_trgm "
        "atau SQLite FTS5)",
    "The MO text matches anywhere in the MO name (trigram index)":
        "Teks MO dicocokkan di bagian mana pun dari nomor MO (indeks trigram)",
    "Page {page} · about {total} {entries}": "Halaman {page} · sekitar {total} {entries}",
    "HistoryTab|&From": "&Dari",
    "HistoryTab|&To": "Sampa&i",
    "Tick the box to filter by this date (local time, whole days)":
        "Centang kotaknya untuk menyaring menurut tanggal ini (waktu setempat, sehari penuh)",
    # batch ticket dialog and the details dialog's Ticket… button (the ticket itself stays English)
    "&Ticket…": "&Tiket…",
    "The ticket is made once the PLC has finished the batch": "Tiket dibuat setelah PLC menyelesaikan batch",
    "Loading the ticket…": "Memuat tiket…",
    "Batch ticket — {mo}": "Tiket batch — {mo}",
    "&Print…": "&Cetak…",
    "Save as P&DF…": "Simpan sebagai P&DF…",
    "Available once the ticket is loaded": "Tersedia setelah tiket dimuat",
    "The ticket cannot be read from the database: {error}": "Tiket tidak dapat dibaca dari database: {error}",
    "Sent to the printer": "Terkirim ke printer",
    "Save the ticket as PDF": "Simpan tiket sebagai PDF",
    "Saved to {file}": "Tersimpan di {file}",
    # dosing curve and trend plot
    "Point at the plot for a reading": "Arahkan ke grafik untuk membaca nilai",
    "TrendPlot|kg": "kg",
    "kg per hour": "kg per jam",
    "plant time ({zone})": "waktu pabrik ({zone})",
    "Save plot as PNG…": "Simpan grafik sebagai PNG…",
    "Save the plot as PNG": "Simpan grafik sebagai PNG",
    "PNG image (*.png)": "Gambar PNG (*.png)",
    "No dosing samples recorded for this batch": "Belum ada data penimbangan untuk batch ini",
    "Dosing samples unavailable: {error}": "Data penimbangan tidak tersedia: {error}",
    # trends tab
    "Last 24 hours": "24 jam terakhir",
    "Last 30 days": "30 hari terakhir",
    "Opening the trend…": "Membuka tren…",
    "Kg dosed per silo per hour, {start} to {end} ({zone}) · {total} kg in all":
        "Kg tertimbang per silo per jam, {start} sampai {end} ({zone}) · total {total} kg",
    "Trends unavailable: the database cannot be read": "Tren tidak tersedia: database tidak dapat dibaca",
    # plant overview: line states (ISA-101 words on the tile), alarm priorities, tile texts
    "LineTile|OFFLINE": "TERPUTUS",
    "LineTile|FAULT": "GANGGUAN",
    "LineTile|SYNCING": "SINKRONISASI",
    "LineTile|DOSING": "MENIMBANG",
    "LineTile|WAITING": "MENUNGGU",
    "LineTile|IDLE": "SIAGA",
    "LineTile|CRITICAL": "KRITIS",
    "LineTile|HIGH": "TINGGI",
    "LineTile|MEDIUM": "SEDANG",
    "LineTile|LOW": "RENDAH",
    "LineTile|{seconds} s": "{seconds} dtk",
    "LineTile|{minutes} min": "{minutes} mnt",
    "LineTile|{hours} h {minutes} min": "{hours} j {minutes} mnt",
    "Double-click for line {line}'s batches and log": "Klik dua kali untuk batch dan log lini {line}",
    "On the PLC: {mo} · batch {batch}": "Di PLC: {mo} · batch {batch}",
    "On the PLC: {mo}": "Di PLC: {mo}",
    "%p% dosed": "%p% tertimbang",
    "no batch dosing": "tidak ada penimbangan",
    "Batches left: {left} of {batches}": "Sisa batch: {left} dari {batches}",
    "Last fill: {time}": "Pengisian terakhir: {time}",
    "LineTile|none": "tidak ada",
    "Batches needing action: {batches}": "Batch perlu tindakan: {batches}",
    "Alarms: {alarms}": "Alarm: {alarms}",
    "no instance on record": "tidak ada instans tercatat",
    "last heartbeat {age} ago": "detak terakhir {age} lalu",
    "never seen": "belum pernah terlihat",
    "Alive · heartbeat {age} ago · {where}": "Hidup · detak {age} lalu · {where}",
    "Line {line} — batches and log (read only)": "Lini {line} — batch dan log (hanya lihat)",
    "Line {line}: {count} batch(es) in the table; newest log records last.":
        "Lini {line}: {count} batch di tabel; catatan log terbaru paling bawah.",
    "No log records for this line.": "Tidak ada catatan log untuk lini ini.",
    "DATABASE UNREACHABLE: {error} — tiles show the last reading":
        "DATABASE TIDAK TERJANGKAU: {error} — kotak lini menampilkan bacaan terakhir",
    "Reading the database…": "Membaca database…",
    "Batch HMI — plant overview (read only)": "Batch HMI — ringkasan pabrik (hanya lihat)",
    "Database: {database} · read only · {offline} after {beats} missed heartbeats ({seconds} s)":
        "Database: {database} · hanya lihat · {offline} setelah {beats} detak terlewat ({seconds} detik)",
    "{lines} line(s) · {states} · updated {time}": "{lines} lini · {states} · diperbarui {time}",
    "Line {line} could not be read: {error}": "Lini {line} tidak dapat dibaca: {error}",
}
