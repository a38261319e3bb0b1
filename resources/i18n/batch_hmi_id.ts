<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="id_ID">
<context>
    <name>Alarm</name>
    <message>
        <source>CRITICAL</source>
        <extracomment>The words an operator reads for a priority and a state (the service's English words are the source).</extracomment>
        <translation>KRITIS</translation>
    </message>
    <message>
        <source>HIGH</source>
        <translation>TINGGI</translation>
    </message>
    <message>
        <source>MEDIUM</source>
        <translation>SEDANG</translation>
    </message>
    <message>
        <source>LOW</source>
        <translation>RENDAH</translation>
    </message>
    <message>
        <source>ACTIVE, UNACKNOWLEDGED</source>
        <translation>AKTIF, BELUM DIKONFIRMASI</translation>
    </message>
    <message>
        <source>ACTIVE, ACKNOWLEDGED</source>
        <translation>AKTIF, DIKONFIRMASI</translation>
    </message>
    <message>
        <source>RETURNED, UNACKNOWLEDGED</source>
        <translation>KEMBALI NORMAL, BELUM DIKONFIRMASI</translation>
    </message>
    <message>
        <source>NORMAL</source>
        <translation>NORMAL</translation>
    </message>
    <message>
        <source>Priority</source>
        <extracomment>Column titles (also the keys of AlarmListModel._cell); shown translated.</extracomment>
        <translation>Prioritas</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Jumlah</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Muncul</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Pesan</translation>
    </message>
    <message>
        <source>{priority}: {message}</source>
        <translation>{priority}: {message}</translation>
    </message>
    <message>
        <source>… and {count} more unacknowledged alarm(s): see Alarms</source>
        <translation>… dan {count} alarm lain belum dikonfirmasi: lihat Alarm</translation>
    </message>
    <message>
        <source>{time} by {who}</source>
        <translation>{time} oleh {who}</translation>
    </message>
    <message>
        <source>until {time} by {who}: {reason}</source>
        <translation>sampai {time} oleh {who}: {reason}</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <extracomment>Column titles, translated by AlarmListModel (context "Alarm" like the dock's).</extracomment>
        <translation>Dikonfirmasi</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Shelved</source>
        <translation>Ditunda</translation>
    </message>
</context>
<context>
    <name>AlarmCounts</name>
    <message>
        <source>No alarms</source>
        <translation>Tidak ada alarm</translation>
    </message>
    <message>
        <source>No active or unacknowledged alarms; click to open Alarms</source>
        <translation>Tidak ada alarm aktif atau belum dikonfirmasi; klik untuk membuka Alarm</translation>
    </message>
    <message>
        <source>{priority} alarms (active or unacknowledged); click to open Alarms</source>
        <translation>Alarm {priority} (aktif atau belum dikonfirmasi); klik untuk membuka Alarm</translation>
    </message>
    <message>
        <source>{count} {priority}</source>
        <translation>{count} {priority}</translation>
    </message>
</context>
<context>
    <name>AlarmDock</name>
    <message>
        <source>Alarms</source>
        <extracomment>The list was read again (tests and the status bar wait for it). Why the signed-in user may not do an action ("acknowledge" / "shelve"), or None when allowed; set by the window where sign-in exists (roles gate actions, never what is shown). The last read failure or refused action, shown instead of the counts until the next read.</extracomment>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>&amp;Alarms</source>
        <translation>&amp;Alarm</translation>
    </message>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Konfirmasi</translation>
    </message>
    <message>
        <source>Acknowledge all &amp;visible</source>
        <translation>Konfirmasi &amp;semua yang tampil</translation>
    </message>
    <message>
        <source>S&amp;helve…</source>
        <translation>Tun&amp;da…</translation>
    </message>
    <message>
        <source>Alarms cannot be read: {error}</source>
        <translation>Alarm tidak dapat dibaca: {error}</translation>
    </message>
    <message>
        <source>{count} alarm(s), {unacked} unacknowledged, {shelved} shelved</source>
        <translation>{count} alarm, {unacked} belum dikonfirmasi, {shelved} ditunda</translation>
    </message>
    <message>
        <source>{count} alarm(s), {unacked} unacknowledged</source>
        <translation>{count} alarm, {unacked} belum dikonfirmasi</translation>
    </message>
    <message>
        <source>Acknowledge the selected alarms</source>
        <translation>Konfirmasi alarm yang dipilih</translation>
    </message>
    <message>
        <source>Acknowledge every unacknowledged alarm in the list</source>
        <translation>Konfirmasi semua alarm di daftar yang belum dikonfirmasi</translation>
    </message>
    <message>
        <source>Hide the selected alarms for a time, with a reason</source>
        <translation>Sembunyikan alarm yang dipilih untuk sementara, dengan alasan</translation>
    </message>
    <message>
        <source>Acknowledge failed: {error}</source>
        <translation>Konfirmasi gagal: {error}</translation>
    </message>
    <message>
        <source>Shelve failed: {error}</source>
        <translation>Penundaan gagal: {error}</translation>
    </message>
</context>
<context>
    <name>AlarmJournalTab</name>
    <message>
        <source>Any state</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <source>Active, unacknowledged</source>
        <translation>Aktif, belum dikonfirmasi</translation>
    </message>
    <message>
        <source>Active, acknowledged</source>
        <translation>Aktif, dikonfirmasi</translation>
    </message>
    <message>
        <source>Returned, unacknowledged</source>
        <translation>Kembali normal, belum dikonfirmasi</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>Shelved</source>
        <translation>Ditunda</translation>
    </message>
    <message>
        <source>Alarm &amp;journal</source>
        <extracomment>QDateEdit's minimum shows "any date". Room a date edit needs besides its text (frame, calendar arrow). A page was shown (tests wait for it). The date filters' days are the plant's (PLANT_TIMEZONE). Why the last page could not be read (shown instead of the page count until the next read).</extracomment>
        <translation>&amp;Jurnal alarm</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Semua prioritas</translation>
    </message>
    <message>
        <source>Any alarm</source>
        <translation>Semua alarm</translation>
    </message>
    <message>
        <source>from: any date</source>
        <translation>dari: semua tanggal</translation>
    </message>
    <message>
        <source>to: any date</source>
        <translation>sampai: semua tanggal</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Sebelumnya</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Berikutnya ▶</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Muncul</translation>
    </message>
    <message>
        <source>Alarm journal</source>
        <translation>Jurnal alarm</translation>
    </message>
    <message>
        <source>Journal cannot be read: {error}</source>
        <translation>Jurnal tidak dapat dibaca: {error}</translation>
    </message>
    <message>
        <source>Page {page} of {pages} ({total} alarm(s))</source>
        <translation>Halaman {page} dari {pages} ({total} alarm)</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Siapa</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Apa</translation>
    </message>
    <message>
        <source>MO</source>
        <translation>MO</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>who, e.g. Budi or api</source>
        <extracomment>The day filter's days are the plant's (PLANT_TIMEZONE).</extracomment>
        <translation>siapa, mis. Budi atau api</translation>
    </message>
    <message>
        <source>what, e.g. Clear or signed in</source>
        <translation>apa (kata log, bhs. Inggris), mis. Clear</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tanggal</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Tampilkan</translation>
    </message>
    <message>
        <source>◀ Newer</source>
        <translation>◀ Lebih baru</translation>
    </message>
    <message>
        <source>Older ▶</source>
        <translation>Lebih lama ▶</translation>
    </message>
    <message>
        <source>The audit trail cannot be read: {error}</source>
        <translation>Jejak audit tidak dapat dibaca: {error}</translation>
    </message>
    <message>
        <source>{first}–{last} of {total}</source>
        <translation>{first}–{last} dari {total}</translation>
    </message>
    <message>
        <source>No records match</source>
        <translation>Tidak ada catatan yang cocok</translation>
    </message>
</context>
<context>
    <name>BatchDetailDialog</name>
    <message>
        <source>BY HAND</source>
        <extracomment>The label of a hand-added component in the batch's table (no silo doses it).</extracomment>
        <translation>MANUAL</translation>
    </message>
    <message>
        <source>OPEN</source>
        <extracomment>A hand-added component not confirmed yet (as the checklist and the batch table say it).</extracomment>
        <translation>OPEN</translation>
    </message>
    <message>
        <source>OUTSIDE</source>
        <translation>OUTSIDE</translation>
    </message>
    <message>
        <source>Batch {batch} — {mo}</source>
        <extracomment>The details dialog's size before the screen clamps it: the table's rows and the parts beside it. The batch's actions, Ticket… and Close in one row under the table. The "why disabled" tooltip each action button got here; the window may put its own (the role needed).</extracomment>
        <translation>Batch {batch} — {mo}</translation>
    </message>
    <message>
        <source>Silo</source>
        <translation>Silo</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Bahan</translation>
    </message>
    <message>
        <source>Target kg</source>
        <translation>Target kg</translation>
    </message>
    <message>
        <source>Actual kg</source>
        <translation>Aktual kg</translation>
    </message>
    <message>
        <source>Deviation</source>
        <translation>Deviasi</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Kemajuan</translation>
    </message>
    <message>
        <source>Tolerance</source>
        <translation>Toleransi</translation>
    </message>
    <message>
        <source>Batch {batch}, line {line}, state &lt;b&gt;{state}&lt;/b&gt;</source>
        <translation>Batch {batch}, lini {line}, status &lt;b&gt;{state}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Last PLC reading: {time}</source>
        <translation>Bacaan PLC terakhir: {time}</translation>
    </message>
    <message>
        <source>&lt;b&gt;The PLC is not answering: the values below are the last ones read and may be out of date.&lt;/b&gt;</source>
        <translation>&lt;b&gt;PLC tidak menjawab: nilai di bawah adalah bacaan terakhir dan mungkin sudah tidak terkini.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Held: {reason}</source>
        <translation>Ditahan: {reason}</translation>
    </message>
    <message>
        <source>On the PLC as: {key}</source>
        <translation>Di PLC sebagai: {key}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Odoo did not take the report of this batch; it is not retried automatically.&lt;/b&gt; Odoo's answer:</source>
        <translation>&lt;b&gt;Odoo tidak menerima laporan batch ini; tidak dicoba ulang otomatis.&lt;/b&gt; Jawaban Odoo:</translation>
    </message>
    <message>
        <source>Last push error: {error}</source>
        <translation>Galat kirim terakhir: {error}</translation>
    </message>
    <message>
        <source>Batch deviation: &lt;b&gt;{percent}&lt;/b&gt; (silos + confirmed by hand; OPEN not counted){worst}</source>
        <translation>Deviasi batch: &lt;b&gt;{percent}&lt;/b&gt; (silo + manual terkonfirmasi; OPEN tidak dihitung){worst}</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>worst silo {silo} {percent}</source>
        <translation>silo terjauh {silo} {percent}</translation>
    </message>
    <message>
        <source>Dosing tolerance: &lt;b&gt;within&lt;/b&gt;</source>
        <translation>Toleransi penimbangan: &lt;b&gt;masuk&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Dosing tolerance: &lt;b&gt;⚠ OUTSIDE&lt;/b&gt; (silo {silos}); the actuals go to Odoo as dosed</source>
        <translation>Toleransi penimbangan: &lt;b&gt;⚠ OUTSIDE&lt;/b&gt; (silo {silos}); nilai aktual tetap dikirim ke Odoo apa adanya</translation>
    </message>
    <message>
        <source>within</source>
        <translation>masuk</translation>
    </message>
    <message>
        <source>+{count} OPEN</source>
        <translation>+{count} OPEN</translation>
    </message>
    <message>
        <source>{percent} % dosed</source>
        <translation>{percent} % tertimbang</translation>
    </message>
</context>
<context>
    <name>BatchTableModel</name>
    <message>
        <source>Completed by the PLC: protected from further PLC readings</source>
        <extracomment>The whole Batch behind a row (for the delegate and the detail dialog). True while the row's PLC values are current (False: STALE/OFFLINE, drawn as "not current").</extracomment>
        <translation>Selesai di PLC: terkunci, bacaan PLC berikutnya tidak mengubahnya</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>MO</source>
        <translation>MO</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produk</translation>
    </message>
    <message>
        <source>Target kg</source>
        <translation>Target kg</translation>
    </message>
    <message>
        <source>Actual kg</source>
        <translation>Aktual kg</translation>
    </message>
    <message>
        <source>Silos (actual / target)</source>
        <translation>Silo (aktual / target)</translation>
    </message>
    <message>
        <source>By hand</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last PLC reading</source>
        <translation>Bacaan PLC terakhir</translation>
    </message>
    <message>
        <source>Each used silo (A..M) and tank (114 TETES, 115 FML): bar = actual dosed against target</source>
        <translation>Setiap silo (A..M) dan tangki (114 TETES, 115 FML) yang dipakai: batang = aktual tertimbang terhadap target</translation>
    </message>
    <message>
        <source>Components added by hand (no silo): how many are still OPEN (not confirmed)</source>
        <translation>Bahan yang ditambahkan manual (tanpa silo): berapa yang masih OPEN (belum dikonfirmasi)</translation>
    </message>
    <message>
        <source>Time since the PLC last reported this batch</source>
        <translation>Waktu sejak PLC terakhir melaporkan batch ini</translation>
    </message>
    <message>
        <source>Batch deviation</source>
        <translation>Deviasi batch</translation>
    </message>
    <message>
        <source>The silos' targets and the hand-added components confirmed; under it what is still OPEN by hand</source>
        <translation>Target silo dan bahan manual yang sudah dikonfirmasi; di bawahnya yang masih OPEN manual</translation>
    </message>
    <message>
        <source>Dosed by the silos and weighed by hand, over the same lines as the target</source>
        <translation>Ditimbang silo dan manual, atas baris yang sama dengan target</translation>
    </message>
    <message>
        <source>A finished batch: the batch total's deviation (actual − target over the silos and the confirmed hand-added components; OPEN ones not counted), and under it the verdict: within, or OUTSIDE naming the silos over or under |actual − target| ≤ max(kg, % × target)</source>
        <translation>Batch selesai: deviasi total batch (aktual − target atas silo dan bahan manual terkonfirmasi; yang OPEN tidak dihitung), di bawahnya hasil uji: masuk, atau OUTSIDE dengan silo yang lebih atau kurang dari |aktual − target| ≤ max(kg, % × target)</translation>
    </message>
    <message>
        <source>DOWNLOADING</source>
        <extracomment>A DONE batch whose hand-added components are not all confirmed says so in its state.</extracomment>
        <translation>DIKIRIM</translation>
    </message>
    <message>
        <source>HELD</source>
        <translation>DITAHAN</translation>
    </message>
    <message>
        <source>QUEUED</source>
        <translation>ANTRE</translation>
    </message>
    <message>
        <source>RUNNING</source>
        <translation>BERJALAN</translation>
    </message>
    <message>
        <source>DONE (locked)</source>
        <translation>SELESAI (kunci)</translation>
    </message>
    <message>
        <source>REPORTED</source>
        <translation>DILAPORKAN</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>GAGAL</translation>
    </message>
    <message>
        <source>ATTENTION</source>
        <translation>PERHATIAN</translation>
    </message>
    <message>
        <source>Stored; being written to the PLC</source>
        <translation>Tersimpan; sedang dikirim ke PLC</translation>
    </message>
    <message>
        <source>The PLC could not confirm the download; it is not downloaded again until released</source>
        <translation>PLC tidak dapat memastikan resep diterima; tidak dikirim lagi sampai dilepas</translation>
    </message>
    <message>
        <source>Stored and written to the PLC; no reading yet</source>
        <translation>Tersimpan dan terkirim ke PLC; belum ada bacaan</translation>
    </message>
    <message>
        <source>The PLC reports dosing progress</source>
        <translation>PLC melaporkan kemajuan penimbangan</translation>
    </message>
    <message>
        <source>Actual consumption pushed to Odoo; about to move to history</source>
        <translation>Pemakaian aktual sudah dikirim ke Odoo; segera pindah ke riwayat</translation>
    </message>
    <message>
        <source>The PLC reported the batch as failed; it is cancelled in Odoo and moved to the history</source>
        <translation>PLC melaporkan batch gagal; MO dibatalkan di Odoo dan dipindah ke riwayat</translation>
    </message>
    <message>
        <source>Reporting to Odoo failed too often and is not retried automatically: open the details for the error and what to do</source>
        <translation>Laporan ke Odoo terlalu sering gagal dan tidak dicoba ulang otomatis: buka rincian untuk galat dan langkah yang perlu diambil</translation>
    </message>
    <message>
        <source>PLC STALE</source>
        <extracomment>What the rows say when the PLC's values are out of date (ISA-101 "bad quality": word + shape).</extracomment>
        <translation>DATA PLC LAMA</translation>
    </message>
    <message>
        <source>PLC OFFLINE</source>
        <translation>PLC TERPUTUS</translation>
    </message>
    <message>
        <source>NOT CURRENT</source>
        <translation>TIDAK TERKINI</translation>
    </message>
    <message>
        <source>+{kg} OPEN</source>
        <extracomment>Only abnormal states get a background tint (ISA-101: colour for exceptions only). hmi.ui.tolerance_view.ToleranceView, set by the alarm views; None = no Deviation verdicts.</extracomment>
        <translation>+{kg} OPEN</translation>
    </message>
    <message>
        <source>{age} ago</source>
        <translation>{age} lalu</translation>
    </message>
    <message>
        <source>The whole MO (silos and every hand-added component): {kg} kg</source>
        <translation>Seluruh MO (silo dan semua bahan manual): {kg} kg</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Clear and hold the MOs</source>
        <extracomment>Answers of the Clear question. The Clear question's own buttons (English source; shown through _t()).</extracomment>
        <translation>Kosongkan dan tahan MO</translation>
    </message>
    <message>
        <source>Clear and release — the PLC was reset</source>
        <translation>Kosongkan dan lepas — PLC sudah di-reset</translation>
    </message>
    <message>
        <source>{shown} and {more} more</source>
        <translation>{shown} dan {more} lainnya</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>batch</translation>
    </message>
    <message>
        <source>batches</source>
        <translation>batch</translation>
    </message>
    <message>
        <source>Clear the batch table?</source>
        <translation>Kosongkan tabel batch?</translation>
    </message>
    <message>
        <source>{batches} will be moved to the history as CLEARED (nothing is deleted) and the PLC's waiting recipes are blanked.</source>
        <translation>{batches} akan dipindahkan ke riwayat sebagai DIKOSONGKAN (tidak ada yang dihapus) dan resep yang menunggu di PLC dikosongkan.</translation>
    </message>
    <message>
        <source>{count} the PLC finished or failed stay in the table until Odoo has their report (what they dosed is not lost):
{mos}</source>
        <translation>{count} yang sudah diselesaikan atau digagalkan PLC tetap di tabel sampai laporannya diterima Odoo (yang sudah didosis tidak hilang):
{mos}</translation>
    </message>
    <message>
        <source>{batches} will be moved to the history as CLEARED (nothing is deleted), the PLC's waiting recipes are blanked, and the table will be empty for the next sync.</source>
        <translation>{batches} akan dipindah ke riwayat sebagai DIKOSONGKAN (tidak ada yang dihapus), resep yang menunggu di PLC dikosongkan, dan tabel kosong untuk sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>These MOs reached the PLC, which may still hold or dose them. They will be HELD: not fetched again until a supervisor releases them from the Held list:
{mos}</source>
        <translation>MO ini sudah sampai ke PLC, yang mungkin masih menyimpan atau menimbangnya. MO ini akan DITAHAN: tidak diambil lagi sampai supervisor melepasnya dari daftar MO Ditahan:
{mos}</translation>
    </message>
    <message>
        <source>Only if the PLC was reset and holds none of them: choose "{release}".</source>
        <translation>Hanya jika PLC sudah di-reset dan tidak menyimpan satu pun: pilih "{release}".</translation>
    </message>
    <message>
        <source>A batch the PLC was seen dosing is held all the same. The others are released on your word: check at the mixer that none of them ran while nobody read the PLC.</source>
        <translation>Batch yang terlihat sedang didosis PLC tetap ditahan. Yang lain dilepas atas keputusan Anda: periksa di mixer bahwa tidak ada yang berjalan selama PLC tidak dibaca.</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Ya</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Tidak</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Clear the batch table</source>
        <translation>Kosongkan tabel batch</translation>
    </message>
    <message>
        <source>Close Batch HMI?

While it is closed, nobody reads the PLC and nothing is reported to Odoo: batches the PLC finishes wait until Batch HMI is started again, and no new MOs are downloaded.</source>
        <translation>Tutup Batch HMI?

Selama ditutup, tidak ada yang membaca PLC dan tidak ada laporan ke Odoo: batch yang diselesaikan PLC menunggu sampai Batch HMI dijalankan lagi, dan tidak ada MO baru yang dikirim ke PLC.</translation>
    </message>
    <message>
        <source>Close Batch HMI</source>
        <translation>Tutup Batch HMI</translation>
    </message>
    <message>
        <source>Retry</source>
        <extracomment>Per-batch actions: (key, button text, confirmation question or None), English source; batch_action_text() and batch_action_question() give them in the window's language.</extracomment>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Cancel in Odoo…</source>
        <translation>Batalkan di Odoo…</translation>
    </message>
    <message>
        <source>Cancel MO {mo} in Odoo?

The MO is cancelled in Odoo and the batch is archived as cancelled. Do this only when the PLC will not dose it (any more).</source>
        <translation>Batalkan MO {mo} di Odoo?

MO dibatalkan di Odoo dan batch diarsipkan sebagai batal. Lakukan ini hanya bila PLC tidak akan (lagi) menimbangnya.</translation>
    </message>
    <message>
        <source>Archive as failed…</source>
        <translation>Arsipkan sebagai gagal…</translation>
    </message>
    <message>
        <source>Archive MO {mo} as failed?

The batch leaves the table and its MO is HELD: it is not fetched again until a supervisor releases it. The MO stays open in Odoo; close it there.</source>
        <translation>Arsipkan MO {mo} sebagai gagal?

Batch keluar dari tabel dan MO-nya DITAHAN: tidak diambil lagi sampai supervisor melepasnya. MO tetap terbuka di Odoo; tutup di sana.</translation>
    </message>
    <message>
        <source>Batch {batch}</source>
        <translation>Batch {batch}</translation>
    </message>
    <message>
        <source>DONE</source>
        <extracomment>The state word in a "why disabled" sentence: the table's word, but plain DONE (no "(locked)").</extracomment>
        <translation>SELESAI</translation>
    </message>
    <message>
        <source> or </source>
        <translation> atau </translation>
    </message>
    <message>
        <source>Only for {states} batches; this one is {state}</source>
        <translation>Hanya untuk batch {states}; batch ini {state}</translation>
    </message>
    <message>
        <source>Takes Manufacturing Orders from Odoo, writes their recipes to the batching PLC, follows the dosing and reports the actual consumption per silo back to Odoo.</source>
        <translation>Mengambil Manufacturing Order (MO) dari Odoo, mengirim resepnya ke PLC batching, mengikuti penimbangan dan melaporkan pemakaian aktual per silo kembali ke Odoo.</translation>
    </message>
    <message>
        <source>Every action is a button on the toolbar; a row's details are on the Details button or a long press on the row.</source>
        <translation>Setiap aksi ada tombolnya di bilah alat; rincian satu baris ada di tombol Rincian atau dengan menekan lama baris itu.</translation>
    </message>
    <message>
        <source>Keys for a keyboard: F5 Trigger sync · F6 Pause/Resume auto-sync · Ctrl+Shift+Del Clear table · Enter Details · Ctrl+, Settings · F1 About · Ctrl+Q Quit</source>
        <translation>Tombol keyboard: F5 Sinkronkan · F6 Jeda/Lanjut otomatis · Ctrl+Shift+Del Kosongkan tabel · Enter Rincian · Ctrl+, Pengaturan · F1 Tentang · Ctrl+Q Tutup aplikasi</translation>
    </message>
</context>
<context>
    <name>FailuresModel</name>
    <message>
        <source>PLC time</source>
        <translation>Waktu PLC</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>Peralatan</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>Kerusakan</translation>
    </message>
    <message>
        <source>Occurrences</source>
        <translation>Kejadian</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Dibaca</translation>
    </message>
    <message>
        <source>Odoo</source>
        <translation>Odoo</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Dikonfirmasi</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <source>REPORTED</source>
        <translation>DILAPORKAN</translation>
    </message>
    <message>
        <source>NOT REPORTED (retrying)</source>
        <translation>BELUM DILAPORKAN (dicoba ulang)</translation>
    </message>
    <message>
        <source>PENDING</source>
        <translation>MENUNGGU</translation>
    </message>
    <message>
        <source>by {who}</source>
        <translation>oleh {who}</translation>
    </message>
    <message>
        <source>NO</source>
        <translation>BELUM</translation>
    </message>
</context>
<context>
    <name>FailuresTab</name>
    <message>
        <source>Equipment fai&amp;lures</source>
        <extracomment>An operator acknowledged a record (the window updates its banner). What the count label says, kept as data so a language switch can say it again.</extracomment>
        <translation>K&amp;erusakan alat</translation>
    </message>
    <message>
        <source>equipment code, e.g. MIXER01</source>
        <translation>kode alat, mis. MIXER01</translation>
    </message>
    <message>
        <source>&amp;Equipment:</source>
        <translation>&amp;Alat:</translation>
    </message>
    <message>
        <source>part of the failure text</source>
        <translation>sebagian teks kerusakan</translation>
    </message>
    <message>
        <source>&amp;Text:</source>
        <translation>&amp;Teks:</translation>
    </message>
    <message>
        <source>&amp;Unacknowledged only</source>
        <translation>&amp;Hanya yang belum dikonfirmasi</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Muat ulang</translation>
    </message>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Konfirmasi</translation>
    </message>
    <message>
        <source>Equipment failures</source>
        <translation>Kerusakan alat</translation>
    </message>
    <message>
        <source>Failures unavailable: {error}</source>
        <translation>Data kerusakan tidak tersedia: {error}</translation>
    </message>
    <message>
        <source>record</source>
        <translation>catatan</translation>
    </message>
    <message>
        <source>records</source>
        <translation>catatan</translation>
    </message>
    <message>
        <source>{count} {records}</source>
        <translation>{count} {records}</translation>
    </message>
    <message>
        <source>{records} (newest {limit})</source>
        <translation>{records} ({limit} terbaru)</translation>
    </message>
    <message>
        <source>Select a failure record</source>
        <translation>Pilih satu catatan kerusakan</translation>
    </message>
    <message>
        <source>Acknowledged by {who}</source>
        <translation>Dikonfirmasi oleh {who}</translation>
    </message>
    <message>
        <source>Mark the selected failure as seen (your user name is stored)</source>
        <translation>Tandai kerusakan yang dipilih sudah dilihat (nama pengguna Anda disimpan)</translation>
    </message>
</context>
<context>
    <name>FirstEngineerDialog</name>
    <message>
        <source>First start: create the engineer account</source>
        <translation>Mulai pertama: buat akun engineer</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>PIN (at least 4 digits)</source>
        <translation>PIN (minimal 4 angka)</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>Ulangi PIN</translation>
    </message>
    <message>
        <source>Create and sign in</source>
        <translation>Buat dan masuk</translation>
    </message>
    <message>
        <source>No engineer account exists yet. Create the first one: it can add operators and supervisors, change the settings and set up the connections. Until someone signs in, the window only shows the process.</source>
        <translation>Belum ada akun engineer. Buat yang pertama: akun ini dapat menambah operator dan supervisor, mengubah pengaturan dan menyiapkan koneksi. Selama belum ada yang masuk, jendela hanya menampilkan proses.</translation>
    </message>
    <message>
        <source>Enter a name.</source>
        <translation>Isi nama.</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>Kedua PIN tidak sama.</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>{n} s</source>
        <translation>{n} dtk</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} mnt</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} jam</translation>
    </message>
    <message>
        <source>{n} d</source>
        <translation>{n} hr</translation>
    </message>
</context>
<context>
    <name>HandAddChecklist</name>
    <message>
        <source>OPEN</source>
        <extracomment>Touch targets: at least this tall (px), as a gloved finger needs. State words (English source; shown through _t()).</extracomment>
        <translation>OPEN</translation>
    </message>
    <message>
        <source>CONFIRMED</source>
        <translation>CONFIRMED</translation>
    </message>
    <message>
        <source>The batch was reported to Odoo; the checklist can no longer change</source>
        <translation>Batch sudah dilaporkan ke Odoo; daftar periksa tidak dapat diubah lagi</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Bahan</translation>
    </message>
    <message>
        <source>Target kg</source>
        <translation>Target kg</translation>
    </message>
    <message>
        <source>Weighed kg</source>
        <translation>Ditimbang kg</translation>
    </message>
    <message>
        <source>Hand-added components — all {count} confirmed</source>
        <translation>Bahan tambahan manual — semua {count} sudah dikonfirmasi</translation>
    </message>
    <message>
        <source>Hand-added components — {open} of {count} OPEN: weigh and confirm</source>
        <translation>Bahan tambahan manual — {open} dari {count} OPEN: timbang lalu konfirmasi</translation>
    </message>
    <message>
        <source>Odoo product id {id}</source>
        <translation>ID produk Odoo {id}</translation>
    </message>
    <message>
        <source>Weighed kg of {product}</source>
        <translation>Kg ditimbang untuk {product}</translation>
    </message>
    <message>
        <source>Accept target</source>
        <translation>Sesuai target</translation>
    </message>
    <message>
        <source>The scale shows the target, {kg} kg</source>
        <translation>Timbangan menunjukkan target, {kg} kg</translation>
    </message>
    <message>
        <source>weighed at the PLC scale, {time}</source>
        <translation>ditimbang di timbangan PLC, {time}</translation>
    </message>
    <message>
        <source>by {name}, {time}</source>
        <translation>oleh {name}, {time}</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>Koreksi</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Konfirmasi</translation>
    </message>
    <message>
        <source>⚠ NOT STORED: {reason}</source>
        <translation>⚠ TIDAK TERSIMPAN: {reason}</translation>
    </message>
    <message>
        <source>{product}: type the weighed kg, or press Accept target</source>
        <translation>{product}: ketik kg hasil timbang, atau tekan Sesuai target</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Menyimpan…</translation>
    </message>
</context>
<context>
    <name>HeldListDialog</name>
    <message>
        <source>These MOs reached the PLC and left the batch table without being completed (cleared, or archived as failed). The PLC may have dosed them, so they are not fetched from Odoo again.
Check the PLC, then select the MOs it did not dose, say what you checked, and release them: the next sync may download them again.</source>
        <translation>MO ini sudah sampai ke PLC lalu keluar dari tabel batch sebelum selesai (dikosongkan, atau diarsipkan sebagai gagal). PLC mungkin sudah menimbangnya, jadi MO ini tidak diambil lagi dari Odoo.
Periksa PLC, pilih MO yang tidak ditimbang, tulis apa yang Anda periksa, lalu lepaskan: sinkronisasi berikutnya bisa mengirimnya lagi ke PLC.</translation>
    </message>
    <message>
        <source>Select the MOs to release</source>
        <translation>Pilih MO yang akan dilepas</translation>
    </message>
    <message>
        <source>Say what you checked on the PLC (the reason is logged with your name)</source>
        <translation>Tulis apa yang Anda periksa di PLC (alasan dicatat dengan nama Anda)</translation>
    </message>
    <message>
        <source>The sync may fetch and download the selected MOs again</source>
        <translation>Sinkronisasi bisa mengambil dan mengirim lagi MO yang dipilih</translation>
    </message>
    <message>
        <source>No MO is held.</source>
        <translation>Tidak ada MO yang ditahan.</translation>
    </message>
    <message>
        <source>Dosed, not booked in Odoo: what the PLC dosed for batches that failed, were cancelled or cleared. Odoo's raw-material stock does not know it. Book it in Odoo (scrap or an inventory adjustment), then mark it booked here.</source>
        <translation>Sudah ditakar, belum dibukukan di Odoo: yang ditakar PLC untuk batch yang gagal, dibatalkan atau dikosongkan. Stok bahan baku di Odoo belum mengetahuinya. Bukukan di Odoo (scrap atau penyesuaian persediaan), lalu tandai sudah dibukukan di sini.</translation>
    </message>
    <message>
        <source>Held MOs</source>
        <extracomment>What the status line says, kept as a function so it follows a change of language.</extracomment>
        <translation>MO Ditahan</translation>
    </message>
    <message>
        <source>MO</source>
        <translation>MO</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Lini</translation>
    </message>
    <message>
        <source>Held since</source>
        <translation>Ditahan sejak</translation>
    </message>
    <message>
        <source>Held by</source>
        <translation>Ditahan oleh</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>What you checked, e.g. "PLC slot empty, batch not started"</source>
        <translation>Apa yang diperiksa, mis. "slot PLC kosong, batch belum mulai"</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>A&amp;lasan:</translation>
    </message>
    <message>
        <source>Release selected</source>
        <translation>Lepas yang dipilih</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <source>Silo</source>
        <translation>Silo</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Bahan</translation>
    </message>
    <message>
        <source>Dosed (kg)</source>
        <translation>Ditakar (kg)</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Dicatat</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <source>Mark selected booked in Odoo</source>
        <translation>Tandai yang dipilih sudah dibukukan di Odoo</translation>
    </message>
    <message>
        <source>The Held list could not be read: {error}</source>
        <translation>Daftar MO Ditahan tidak dapat dibaca: {error}</translation>
    </message>
    <message>
        <source>The booking list could not be read: {error}</source>
        <translation>Daftar pembukuan tidak dapat dibaca: {error}</translation>
    </message>
    <message>
        <source>Not marked booked: {reason}</source>
        <translation>Tidak ditandai sudah dibukukan: {reason}</translation>
    </message>
    <message>
        <source>Marking booked failed: {error}</source>
        <translation>Penandaan pembukuan gagal: {error}</translation>
    </message>
    <message>
        <source>{count} dosed amount(s) marked booked in Odoo.</source>
        <translation>{count} jumlah takaran ditandai sudah dibukukan di Odoo.</translation>
    </message>
    <message>
        <source>Not released: {reason}</source>
        <translation>Tidak dilepas: {reason}</translation>
    </message>
    <message>
        <source>Release failed: {error}</source>
        <translation>Pelepasan gagal: {error}</translation>
    </message>
    <message>
        <source>Released: {mos}. The next sync may download them again.</source>
        <translation>Dilepas: {mos}. Sinkronisasi berikutnya bisa mengirimnya lagi ke PLC.</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Archived</source>
        <extracomment>AdminService.history: (status, mo, limit, offset, cursor, since, until) -&gt; HistoryPage</extracomment>
        <translation>Diarsipkan</translation>
    </message>
    <message>
        <source>MO</source>
        <translation>MO</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produk</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Actual kg</source>
        <translation>Aktual kg</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Oleh</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <source>COMPLETED</source>
        <extracomment>Notes written by earlier versions named database columns; the operator reads these words instead. History statuses as the operator reads them: capitals, like the batch table's states.</extracomment>
        <translation>SELESAI</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>GAGAL</translation>
    </message>
    <message>
        <source>CANCELLED</source>
        <translation>DIBATALKAN</translation>
    </message>
    <message>
        <source>CLEARED</source>
        <translation>DIKOSONGKAN</translation>
    </message>
    <message>
        <source>Tolerance</source>
        <extracomment>With tolerances: the dosing verdict of each completed batch, after the notes.</extracomment>
        <translation>Toleransi</translation>
    </message>
    <message>
        <source>within</source>
        <extracomment>ToleranceService.outside_history: (mo, limit, offset, cursor, since, until) -&gt; HistoryPage, by cursor too. mo_id -&gt; (verdict, {silo: {"target", "actual", "deviation", "allowed", "within"}}) The plant clock the times read in (None: the window's).</extracomment>
        <translation>dalam toleransi</translation>
    </message>
    <message>
        <source>OUTSIDE: silo {silo} {deviation} kg</source>
        <translation>OUTSIDE: silo {silo} {deviation} kg</translation>
    </message>
    <message>
        <source>silo {silo}: target {target} kg, actual {actual} kg, deviation {deviation} kg, allowed ±{allowed} kg</source>
        <translation>silo {silo}: target {target} kg, aktual {actual} kg, deviasi {deviation} kg, batas ±{allowed} kg</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <source>part of an MO, e.g. MO/0012</source>
        <translation>bagian nomor MO, mis. MO/0012</translation>
    </message>
    <message>
        <source>OUT OF TOLERANCE</source>
        <extracomment>The status filter's entry for batches dosed outside tolerance (its data; the combo shows OUTSIDE_WORD).</extracomment>
        <translation>DI LUAR TOLERANSI</translation>
    </message>
    <message>
        <source>Loading…</source>
        <extracomment>The date filters' days are the plant's (PLANT_TIMEZONE). Cursor each visited page started from (None: the first page); the last is this page's.</extracomment>
        <translation>Memuat…</translation>
    </message>
    <message>
        <source>History unavailable: the database cannot be read</source>
        <translation>Riwayat tidak tersedia: database tidak dapat dibaca</translation>
    </message>
    <message>
        <source>starts with</source>
        <translation>diawali</translation>
    </message>
    <message>
        <source>start of an MO, e.g. WH/MO/0012</source>
        <translation>awal nomor MO, mis. WH/MO/0012</translation>
    </message>
    <message>
        <source>The MO text matches the start of the MO name: this database has no trigram index (PostgreSQL pg_trgm or SQLite FTS5)</source>
        <translation>Teks MO dicocokkan dengan awal nomor MO: database ini tidak punya indeks trigram (PostgreSQL pg_trgm atau SQLite FTS5)</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>memuat</translation>
    </message>
    <message>
        <source>The MO text matches anywhere in the MO name (trigram index)</source>
        <translation>Teks MO dicocokkan di bagian mana pun dari nomor MO (indeks trigram)</translation>
    </message>
    <message>
        <source>entry</source>
        <translation>entri</translation>
    </message>
    <message>
        <source>entries</source>
        <translation>entri</translation>
    </message>
    <message>
        <source>Page {page} · about {total} {entries}</source>
        <translation>Halaman {page} · sekitar {total} {entries}</translation>
    </message>
    <message>
        <source>Page {page} of {pages} · {total} {entries}</source>
        <translation>Halaman {page} dari {pages} · {total} {entries}</translation>
    </message>
    <message>
        <source>This is the first page</source>
        <translation>Ini halaman pertama</translation>
    </message>
    <message>
        <source>This is the last page</source>
        <translation>Ini halaman terakhir</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>Shows entries whose MO contains this text; Enter applies it</source>
        <translation>Menampilkan entri yang nomor MO-nya memuat teks ini; Enter untuk menerapkan</translation>
    </message>
    <message>
        <source>&amp;MO:</source>
        <translation>&amp;MO:</translation>
    </message>
    <message>
        <source>&amp;Previous</source>
        <translation>Se&amp;belumnya</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>Se&amp;lanjutnya</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Muat ulang</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Dari</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>Sampa&amp;i</translation>
    </message>
    <message>
        <source>Tick the box to filter by this date (local time, whole days)</source>
        <translation>Centang kotaknya untuk menyaring menurut tanggal ini (waktu setempat, sehari penuh)</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Clear</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Delete the last digit</source>
        <translation>Hapus angka terakhir</translation>
    </message>
</context>
<context>
    <name>LineDetailDialog</name>
    <message>
        <source>Line {line} — batches and log (read only)</source>
        <translation>Lini {line} — batch dan log (hanya lihat)</translation>
    </message>
    <message>
        <source>Line {line}: {count} batch(es) in the table; newest log records last.</source>
        <translation>Lini {line}: {count} batch di tabel; catatan log terbaru paling bawah.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>No log records for this line.</source>
        <translation>Tidak ada catatan log untuk lini ini.</translation>
    </message>
</context>
<context>
    <name>LineTile</name>
    <message>
        <source>OFFLINE</source>
        <extracomment>The line states as a tile says them (LineState values are the English words).</extracomment>
        <translation>TERPUTUS</translation>
    </message>
    <message>
        <source>FAULT</source>
        <translation>GANGGUAN</translation>
    </message>
    <message>
        <source>SYNCING</source>
        <translation>SINKRONISASI</translation>
    </message>
    <message>
        <source>DOSING</source>
        <translation>MENIMBANG</translation>
    </message>
    <message>
        <source>WAITING</source>
        <translation>MENUNGGU</translation>
    </message>
    <message>
        <source>IDLE</source>
        <translation>SIAGA</translation>
    </message>
    <message>
        <source>ATTENTION</source>
        <extracomment>Batch states (LineSnapshot.abnormal_batches) and alarm priorities (alarms_by_priority) on a tile.</extracomment>
        <translation>PERHATIAN</translation>
    </message>
    <message>
        <source>HELD</source>
        <translation>DITAHAN</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>GAGAL</translation>
    </message>
    <message>
        <source>CRITICAL</source>
        <translation>KRITIS</translation>
    </message>
    <message>
        <source>HIGH</source>
        <translation>TINGGI</translation>
    </message>
    <message>
        <source>MEDIUM</source>
        <translation>SEDANG</translation>
    </message>
    <message>
        <source>LOW</source>
        <translation>RENDAH</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} dtk</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} mnt</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} j {minutes} mnt</translation>
    </message>
    <message>
        <source>Double-click for line {line}'s batches and log</source>
        <translation>Klik dua kali untuk batch dan log lini {line}</translation>
    </message>
    <message>
        <source>On the PLC: {mo} · batch {batch}</source>
        <translation>Di PLC: {mo} · batch {batch}</translation>
    </message>
    <message>
        <source>%p% dosed</source>
        <translation>%p% tertimbang</translation>
    </message>
    <message>
        <source>On the PLC: {mo}</source>
        <translation>Di PLC: {mo}</translation>
    </message>
    <message>
        <source>no batch dosing</source>
        <translation>tidak ada penimbangan</translation>
    </message>
    <message>
        <source>Batches left: {left} of {batches}</source>
        <translation>Sisa batch: {left} dari {batches}</translation>
    </message>
    <message>
        <source>Last fill: {time}</source>
        <translation>Pengisian terakhir: {time}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>tidak ada</translation>
    </message>
    <message>
        <source>Batches needing action: {batches}</source>
        <translation>Batch perlu tindakan: {batches}</translation>
    </message>
    <message>
        <source>Alarms: {alarms}</source>
        <translation>Alarm: {alarms}</translation>
    </message>
    <message>
        <source>no instance on record</source>
        <translation>tidak ada instans tercatat</translation>
    </message>
    <message>
        <source>last heartbeat {age} ago</source>
        <translation>detak terakhir {age} lalu</translation>
    </message>
    <message>
        <source>never seen</source>
        <translation>belum pernah terlihat</translation>
    </message>
    <message>
        <source>Alive · heartbeat {age} ago · {where}</source>
        <translation>Hidup · detak {age} lalu · {where}</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <source>Debug</source>
        <extracomment>Loggers whose records the window shows; everything else is a library talking.</extracomment>
        <translation>Debug</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Peringatan</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Galat</translation>
    </message>
    <message>
        <source>Sync log</source>
        <translation>Log sinkronisasi</translation>
    </message>
    <message>
        <source>Show records at this level and above</source>
        <translation>Tampilkan catatan tingkat ini ke atas</translation>
    </message>
    <message>
        <source>&amp;Level:</source>
        <translation>&amp;Tingkat:</translation>
    </message>
    <message>
        <source>C&amp;opy log</source>
        <translation>&amp;Salin log</translation>
    </message>
    <message>
        <source>Copy the shown log lines (or the selection) to the clipboard</source>
        <translation>Salin baris log yang tampil (atau yang dipilih) ke papan klip</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Check the batch table now; fetch MOs from Odoo if it is empty (F5)</source>
        <translation>Periksa tabel batch sekarang; ambil MO dari Odoo bila tabel kosong (F5)</translation>
    </message>
    <message>
        <source>A sync is running</source>
        <translation>Sinkronisasi sedang berjalan</translation>
    </message>
    <message>
        <source>The table is being cleared</source>
        <translation>Tabel sedang dikosongkan</translation>
    </message>
    <message>
        <source>Move every batch to the history as CLEARED and empty the table; the MOs are held until released (asks first)</source>
        <translation>Pindahkan semua batch ke riwayat sebagai DIKOSONGKAN dan kosongkan tabel; MO ditahan sampai dilepas (bertanya dulu)</translation>
    </message>
    <message>
        <source>Nothing to clear</source>
        <translation>Tidak ada yang perlu dikosongkan</translation>
    </message>
    <message>
        <source>A sync is running; clear when it has finished</source>
        <translation>Sinkronisasi sedang berjalan; kosongkan setelah selesai</translation>
    </message>
    <message>
        <source>Every silo of the selected batch: component, target, actual, progress or deviation</source>
        <translation>Semua silo dari batch terpilih: bahan, target, aktual, kemajuan atau selisih</translation>
    </message>
    <message>
        <source>Select a batch first (tap a row)</source>
        <translation>Pilih batch dulu (sentuh satu baris)</translation>
    </message>
    <message>
        <source>PLC OFFLINE</source>
        <translation>PLC TERPUTUS</translation>
    </message>
    <message>
        <source>DATABASE FAULT</source>
        <translation>GANGGUAN DATABASE</translation>
    </message>
    <message>
        <source>SYNC ALERT</source>
        <translation>PERINGATAN SINKRON</translation>
    </message>
    <message>
        <source>Sync skipped: {batches} still in the table; new MOs are fetched once the table is empty</source>
        <translation>Sinkronisasi dilewati: masih ada {batches} di tabel; MO baru diambil setelah tabel kosong</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>batch</translation>
    </message>
    <message>
        <source>batches</source>
        <translation>batch</translation>
    </message>
    <message>
        <source>Sync fetched {mos} from Odoo and wrote them to the PLC</source>
        <translation>Sinkronisasi mengambil {mos} dari Odoo dan mengirimnya ke PLC</translation>
    </message>
    <message>
        <source>MO</source>
        <translation>MO</translation>
    </message>
    <message>
        <source>CRITICAL</source>
        <translation>KRITIS</translation>
    </message>
    <message>
        <source>HIGH</source>
        <translation>TINGGI</translation>
    </message>
    <message>
        <source>MOs</source>
        <translation>MO</translation>
    </message>
    <message>
        <source>Sync done: {message}</source>
        <translation>Sinkronisasi selesai: {message}</translation>
    </message>
    <message>
        <source>Sync failed: {reason}</source>
        <translation>Sinkronisasi gagal: {reason}</translation>
    </message>
    <message>
        <source>Sync not started: {reason}</source>
        <translation>Sinkronisasi tidak dimulai: {reason}</translation>
    </message>
    <message>
        <source>Trigger &amp;sync</source>
        <extracomment>The UI clock only repaints ages, badges and the countdown; the scheduler owns the work timers. The operator closed the window; the composition root stops the scheduler and runtime. A batch-table refresh finished (tests and screenshots wait for it).</extracomment>
        <translation>&amp;Sinkronkan</translation>
    </message>
    <message>
        <source>&amp;Clear table…</source>
        <translation>&amp;Kosongkan tabel…</translation>
    </message>
    <message>
        <source>S&amp;ettings…</source>
        <translation>P&amp;engaturan…</translation>
    </message>
    <message>
        <source>S&amp;ilos…</source>
        <translation>S&amp;ilo…</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Tentang</translation>
    </message>
    <message>
        <source>&amp;Details…</source>
        <translation>&amp;Rincian…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Tutup aplikasi</translation>
    </message>
    <message>
        <source>Batch table</source>
        <translation>Tabel batch</translation>
    </message>
    <message>
        <source>No batches in the table</source>
        <translation>Tidak ada batch di tabel</translation>
    </message>
    <message>
        <source>Trigger sync now</source>
        <translation>Sinkronkan sekarang</translation>
    </message>
    <message>
        <source>&amp;Batches</source>
        <extracomment>An equipment failure was acknowledged (the banner follows). (unacknowledged equipment failures, the newest of them) for the banner.</extracomment>
        <translation>&amp;Batch</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Riwayat</translation>
    </message>
    <message>
        <source>A&amp;udit</source>
        <translation>A&amp;udit</translation>
    </message>
    <message>
        <source>Rep&amp;orts</source>
        <translation>Lap&amp;oran</translation>
    </message>
    <message>
        <source>&amp;Trends</source>
        <translation>Tr&amp;en</translation>
    </message>
    <message>
        <source>Double-click a row for the batch ticket and its dosing curve</source>
        <translation>Klik dua kali satu baris untuk tiket batch dan kurva penimbangannya</translation>
    </message>
    <message>
        <source>Batch HMI — demo (simulated PLC and Odoo)</source>
        <translation>Batch HMI — demo (PLC dan Odoo simulasi)</translation>
    </message>
    <message>
        <source>Sync &amp;log</source>
        <translation>&amp;Log sinkronisasi</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Aksi</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>&amp;Aksi</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ba&amp;ntuan</translation>
    </message>
    <message>
        <source>could not be stored: {reason}</source>
        <extracomment>A press held this long on a row opens its menu (touch screens have no right button). The batch table should be read again. Batches moved to the history (an open History tab reads again). A Clear started or ended (the actions' states follow ``clear_running``).</extracomment>
        <translation>tidak dapat disimpan: {reason}</translation>
    </message>
    <message>
        <source>{product}: {kg} kg confirmed by {actor}</source>
        <translation>{product}: {kg} kg dikonfirmasi oleh {actor}</translation>
    </message>
    <message>
        <source>Action on MO {mo} failed: {reason}</source>
        <translation>Aksi pada MO {mo} gagal: {reason}</translation>
    </message>
    <message>
        <source>MO {mo}: done</source>
        <translation>MO {mo}: selesai</translation>
    </message>
    <message>
        <source>Sync running…</source>
        <extracomment>A manual sync started or ended (the actions follow ``sync_running``). A sync ended: the batch table should be read again and the status shown.</extracomment>
        <translation>Sinkronisasi berjalan…</translation>
    </message>
    <message>
        <source>Trigger sync: </source>
        <translation>Sinkronkan: </translation>
    </message>
    <message>
        <source>Clear cancelled: the table was not changed</source>
        <translation>Pengosongan dibatalkan: tabel tidak berubah</translation>
    </message>
    <message>
        <source>Clear of the batch table</source>
        <translation>Pengosongan tabel batch</translation>
    </message>
    <message>
        <source>Clearing the table…</source>
        <translation>Mengosongkan tabel…</translation>
    </message>
    <message>
        <source>Approval needed</source>
        <translation>Perlu persetujuan</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Setujui</translation>
    </message>
    <message>
        <source>{what} needs a {role}. A {role} chooses their name and enters their PIN to approve it.</source>
        <translation>{what} memerlukan persetujuan {role}. {role} memilih namanya dan memasukkan PIN untuk menyetujui.</translation>
    </message>
    <message>
        <source>Clear not started: a clear is already running</source>
        <translation>Pengosongan tidak dimulai: pengosongan lain sedang berjalan</translation>
    </message>
    <message>
        <source>Clear not done: the batch table changed while you were asked; nothing was cleared. Look at the table and clear again</source>
        <translation>Pengosongan tidak dilakukan: tabel batch berubah saat Anda ditanya; tidak ada yang dikosongkan. Lihat tabelnya dan kosongkan lagi</translation>
    </message>
    <message>
        <source>Clear failed: {error}</source>
        <translation>Pengosongan gagal: {error}</translation>
    </message>
    <message>
        <source>; {mos} held until released</source>
        <translation>; {mos} ditahan sampai dilepas</translation>
    </message>
    <message>
        <source>; {batches} stay until reported to Odoo</source>
        <translation>; {batches} tetap sampai dilaporkan ke Odoo</translation>
    </message>
    <message>
        <source>Cleared by {actor}: {batches} moved to the history</source>
        <translation>Dikosongkan oleh {actor}: {batches} dipindah ke riwayat</translation>
    </message>
    <message>
        <source>&amp;Pause auto-sync</source>
        <translation>&amp;Jeda otomatis</translation>
    </message>
    <message>
        <source>&amp;Resume auto-sync</source>
        <translation>&amp;Lanjut otomatis</translation>
    </message>
    <message>
        <source>Stop the sync timer (manual Trigger sync still works) (F6)</source>
        <translation>Hentikan pewaktu sinkronisasi (Sinkronkan manual tetap bisa) (F6)</translation>
    </message>
    <message>
        <source>Start the sync timer again (F6)</source>
        <translation>Jalankan lagi pewaktu sinkronisasi (F6)</translation>
    </message>
    <message>
        <source>About Batch HMI</source>
        <translation>Tentang Batch HMI</translation>
    </message>
    <message>
        <source>sync running…</source>
        <translation>sinkronisasi berjalan…</translation>
    </message>
    <message>
        <source>auto-sync paused</source>
        <translation>sinkron otomatis dijeda</translation>
    </message>
    <message>
        <source>next sync in {time}</source>
        <translation>sinkron berikut {time} lagi</translation>
    </message>
    <message>
        <source>auto-sync waiting</source>
        <translation>sinkron otomatis menunggu</translation>
    </message>
    <message>
        <source>last reading {age} ago</source>
        <translation>bacaan terakhir {age} lalu</translation>
    </message>
    <message>
        <source>no reading since start-up</source>
        <translation>belum ada bacaan sejak aplikasi mulai</translation>
    </message>
    <message>
        <source>, link {state}</source>
        <translation>, koneksi {state}</translation>
    </message>
    <message>
        <source>PLC STALE</source>
        <translation>DATA PLC LAMA</translation>
    </message>
    <message>
        <source>{word}: PLC at {endpoint}, {since}{link}. Batch states and values below are the last ones read, NOT CURRENT. Check the PLC and its network; the link reconnects by itself.</source>
        <translation>{word}: PLC di {endpoint}, {since}{link}. Status batch dan nilai di bawah adalah bacaan terakhir, TIDAK TERKINI. Periksa PLC dan jaringannya; koneksi tersambung kembali dengan sendirinya.</translation>
    </message>
    <message>
        <source>{word}: the batch table cannot be read; the table below is not current. Check the database server (details in the DB badge).</source>
        <translation>{word}: tabel batch tidak dapat dibaca; tabel di bawah tidak terkini. Periksa server database (rincian di lencana DB).</translation>
    </message>
    <message>
        <source>{word}: {alert}. {next}</source>
        <translation>{word}: {alert}. {next}</translation>
    </message>
    <message>
        <source>batch {batch} (MO {mo})</source>
        <translation>batch {batch} (MO {mo})</translation>
    </message>
    <message>
        <source> and {n} more</source>
        <translation> dan {n} lainnya</translation>
    </message>
    <message>
        <source>ATTENTION: Odoo did not take the report of {which}. It is not retried automatically: select the row and press Details for Odoo's answer.</source>
        <translation>PERHATIAN: Odoo tidak menerima laporan {which}. Tidak dicoba ulang otomatis: pilih barisnya dan tekan Rincian untuk melihat jawaban Odoo.</translation>
    </message>
    <message>
        <source>HELD: the PLC has not confirmed the download of {batches} (MO {mos}); they are not downloaded again. The PLC is asked at every sync; if it was reset, Clear and release.</source>
        <translation>DITAHAN: PLC belum memastikan {batches} sudah diterima (MO {mos}); tidak dikirim lagi. PLC ditanya di setiap sinkron; bila PLC sudah direset, Kosongkan dan lepas.</translation>
    </message>
    <message>
        <source>; {count} unacknowledged</source>
        <translation>; {count} belum dikonfirmasi</translation>
    </message>
    <message>
        <source>EQUIPMENT FAILURE: {code} - {info} (PLC time {time}){more}; acknowledge it in the Equipment failures tab</source>
        <translation>KERUSAKAN ALAT: {code} - {info} (waktu PLC {time}){more}; konfirmasi di tab Kerusakan alat</translation>
    </message>
    <message>
        <source>A sync is running: asking Odoo for the next MOs.</source>
        <translation>Sinkronisasi berjalan: meminta MO berikutnya dari Odoo.</translation>
    </message>
    <message>
        <source>Waiting for the PLC: it is OFFLINE, so no recipes can be written to it. The next sync fetches MOs once the PLC answers again.</source>
        <translation>Menunggu PLC: PLC TERPUTUS, jadi resep tidak dapat dikirim. Sinkronisasi berikut mengambil MO setelah PLC menjawab lagi.</translation>
    </message>
    <message>
        <source>Odoo unreachable: the last request failed. {when} The Odoo badge's tooltip has the error.</source>
        <translation>Odoo tidak terjangkau: permintaan terakhir gagal. {when} Keterangan lencana Odoo memuat galatnya.</translation>
    </message>
    <message>
        <source>Auto-sync is paused: press Trigger sync to fetch the next MOs from Odoo, or Resume auto-sync.</source>
        <translation>Sinkron otomatis dijeda: tekan Sinkronkan untuk mengambil MO berikutnya dari Odoo, atau Lanjut otomatis.</translation>
    </message>
    <message>
        <source> Odoo had no MOs ready for this line at the last sync.</source>
        <translation> Pada sinkronisasi terakhir Odoo tidak punya MO siap untuk lini ini.</translation>
    </message>
    <message>
        <source>Waiting for the next sync.</source>
        <translation>Menunggu sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>Auto-sync is paused; Trigger sync tries now.</source>
        <extracomment>The batch table could not be read (the error), and whether it has been read at all yet. The health monitor's sync alert (shown only when there is no alarm list to show it). The alarm list's banner lines; None when the deployment has no alarm service. Unacknowledged equipment failures and the newest of them.</extracomment>
        <translation>Sinkron otomatis dijeda; Sinkronkan mencoba sekarang.</translation>
    </message>
    <message>
        <source>Trigger sync tries now.</source>
        <translation>Sinkronkan mencoba sekarang.</translation>
    </message>
    <message>
        <source>Next sync in {time}; Trigger sync tries now.</source>
        <translation>Sinkron berikut {time} lagi; Sinkronkan mencoba sekarang.</translation>
    </message>
    <message>
        <source>&amp;Held MOs ({count})</source>
        <translation>MO &amp;Ditahan ({count})</translation>
    </message>
    <message>
        <source>&amp;Held MOs</source>
        <translation>MO &amp;Ditahan</translation>
    </message>
    <message>
        <source>MOs that reached the PLC and left the table unfinished; release them here</source>
        <translation>MO yang sudah sampai ke PLC lalu keluar dari tabel sebelum selesai; lepaskan di sini</translation>
    </message>
    <message>
        <source>Connections, sync and line settings; test each connection (Ctrl+,)</source>
        <translation>Pengaturan koneksi, sinkronisasi dan lini; uji setiap koneksi (Ctrl+,)</translation>
    </message>
    <message>
        <source>Which product is in which silo and tank (stock Odoo)</source>
        <translation>Bahan mana di silo dan tangki mana (Odoo standar)</translation>
    </message>
    <message>
        <source>a {role} approves with their PIN</source>
        <extracomment>The name of who is signed in (for "Needs …; signed in: …"). A row of the batch table is selected. The window's action ("sync", "clear", …). The permission whose role the action needs.</extracomment>
        <translation>{role} menyetujui dengan PIN-nya</translation>
    </message>
    <message>
        <source>Operator</source>
        <extracomment>action -&gt; permission needed -&gt; when enabled -&gt; tooltip.</extracomment>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>Engineer</translation>
    </message>
    <message>
        <source>Needs {role}: sign in first (view only)</source>
        <translation>Perlu {role}: masuk dulu (hanya lihat)</translation>
    </message>
    <message>
        <source>Needs {role}; signed in: {name} ({current})</source>
        <translation>Perlu {role}; yang masuk: {name} ({current})</translation>
    </message>
    <message>
        <source>Not signed in — view only</source>
        <translation>Hanya lihat</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Sign in with your name and PIN to operate</source>
        <translation>Masuk dengan nama dan PIN untuk mengoperasikan</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>Sign out {name}; the window stays on, view only</source>
        <translation>Keluarkan {name}; jendela tetap menyala, hanya lihat</translation>
    </message>
</context>
<context>
    <name>OperatorText</name>
    <message>
        <source>{where} refused the connection (nothing listens on port {port})</source>
        <extracomment>The test's own connection is not the plant's PLC link: its connect/lost lines stay out of the log.</extracomment>
        <translation>{where} menolak koneksi (tidak ada yang mendengarkan di port {port})</translation>
    </message>
    <message>
        <source>{where} did not answer within {seconds} s (switched off, wrong address or a firewall)</source>
        <translation>{where} tidak menjawab dalam {seconds} dtk (mati, alamat salah atau terhalang firewall)</translation>
    </message>
    <message>
        <source>{where} is unreachable: no route to the host</source>
        <translation>{where} tidak terjangkau: tidak ada rute ke host</translation>
    </message>
    <message>
        <source>{where}: {reason}</source>
        <translation>{where}: {reason}</translation>
    </message>
    <message>
        <source>{where} accepted TCP but the Modbus connection failed</source>
        <translation>{where} menerima TCP tetapi koneksi Modbus gagal</translation>
    </message>
    <message>
        <source>{where} answered with Modbus error {error} for unit {unit}, register {address}</source>
        <translation>{where} menjawab dengan galat Modbus {error} untuk unit {unit}, register {address}</translation>
    </message>
    <message>
        <source>{where} answered: unit {unit}, handshake word {address} = {value}</source>
        <translation>{where} menjawab: unit {unit}, word handshake {address} = {value}</translation>
    </message>
    <message>
        <source>{where} accepted the connection but unit {unit} did not answer a read ({error})</source>
        <translation>{where} menerima koneksi tetapi unit {unit} tidak menjawab pembacaan ({error})</translation>
    </message>
    <message>
        <source>{where} did not open a FINS session: {reason}</source>
        <translation>{where} tidak membuka sesi FINS: {reason}</translation>
    </message>
    <message>
        <source>{where} answered: handshake word D{address} = {value}</source>
        <translation>{where} menjawab: word handshake D{address} = {value}</translation>
    </message>
    <message>
        <source>{where} did not answer a FINS read of D{address} ({reason})</source>
        <translation>{where} tidak menjawab pembacaan FINS D{address} ({reason})</translation>
    </message>
    <message>
        <source>{count} MO(s) on the Held list, not fetched until released: {names}</source>
        <extracomment>Which per-batch action each state allows (the window offers only these). The hand-added checklist (set by the composition root); the API and the window reach it here. The audit writer's counters (written, dropped by cause), set by the runtime.</extracomment>
        <translation>{count} MO di daftar Ditahan, tidak diambil sampai dilepas: {names}</translation>
    </message>
    <message>
        <source>A release needs a reason (what was checked on the PLC)</source>
        <translation>Pelepasan perlu alasan (apa yang sudah dicek di PLC)</translation>
    </message>
    <message>
        <source>No MO to release was named</source>
        <translation>Tidak ada MO yang disebut untuk dilepas</translation>
    </message>
    <message>
        <source>Not on the Held list: {mos}</source>
        <translation>Tidak ada di daftar Ditahan: {mos}</translation>
    </message>
    <message>
        <source>No booking was named</source>
        <translation>Tidak ada pembukuan yang disebut</translation>
    </message>
    <message>
        <source>Not on this line's open booking list: {ids}</source>
        <translation>Tidak ada di daftar pembukuan terbuka lini ini: {ids}</translation>
    </message>
    <message>
        <source>MO {mo} is not in the batch table</source>
        <translation>MO {mo} tidak ada di tabel batch</translation>
    </message>
    <message>
        <source>MO {mo} is {state}; this action is for {states} batches</source>
        <translation>MO {mo} berstatus {state}; aksi ini untuk batch {states}</translation>
    </message>
    <message>
        <source>MO {mo} is not retried: its final PLC reading was refused, so the stored figures are not what was dosed. Book what was dosed in Odoo, then Archive as failed</source>
        <translation>MO {mo} tidak dicoba ulang: pembacaan akhir PLC ditolak, jadi angka yang tersimpan bukan yang ditakar. Bukukan yang ditakar di Odoo, lalu Arsipkan sebagai gagal</translation>
    </message>
    <message>
        <source>Odoo did not cancel MO {mo}: {reason}</source>
        <translation>Odoo tidak membatalkan MO {mo}: {reason}</translation>
    </message>
    <message>
        <source>Odoo {url}: {reason}</source>
        <translation>Odoo {url}: {reason}</translation>
    </message>
    <message>
        <source>Odoo at {url}</source>
        <translation>Odoo di {url}</translation>
    </message>
    <message>
        <source>{name} answered; signed in as uid {uid}; 1 MO ready</source>
        <translation>{name} menjawab; masuk sebagai uid {uid}; 1 MO siap</translation>
    </message>
    <message>
        <source>{name} answered; signed in as uid {uid}; {count} MOs ready</source>
        <translation>{name} menjawab; masuk sebagai uid {uid}; {count} MO siap</translation>
    </message>
    <message>
        <source>{product}: {text} is not a number of kg</source>
        <extracomment>A weighed amount above this multiple of the target is refused as a typo or a wrong component. ... unless it is within this margin of the target (a 0.2 kg target may well be weighed as 0.45 kg).</extracomment>
        <translation>{product}: {text} bukan angka kg</translation>
    </message>
    <message>
        <source>{product}: the weighed amount must be a number of kg, got {value}</source>
        <translation>{product}: hasil timbang harus angka kg, bukan {value}</translation>
    </message>
    <message>
        <source>{product}: the weighed amount must be a finite number, got {value}</source>
        <translation>{product}: hasil timbang harus angka yang wajar, bukan {value}</translation>
    </message>
    <message>
        <source>{product}: the weighed amount cannot be negative ({kg} kg)</source>
        <translation>{product}: hasil timbang tidak boleh negatif ({kg} kg)</translation>
    </message>
    <message>
        <source>{product}: {kg} kg is implausible for a target of {target} kg (at most {limit} kg); weigh it again</source>
        <translation>{product}: {kg} kg tidak masuk akal untuk target {target} kg (paling banyak {limit} kg); timbang ulang</translation>
    </message>
    <message>
        <source>MO {mo} has no open hand-added component with product id {product_id}</source>
        <translation>MO {mo} tidak punya bahan manual terbuka dengan id produk {product_id}</translation>
    </message>
    <message>
        <source>{product}: enter the weighed amount, or accept the target</source>
        <translation>{product}: isi hasil timbang, atau terima sesuai target</translation>
    </message>
    <message>
        <source>{reason}; the confirmation was not stored</source>
        <translation>{reason}; konfirmasi tidak disimpan</translation>
    </message>
    <message>
        <source>Completion paused, the database is not reachable: {error}</source>
        <extracomment>2**MAX_BACKOFF_EXPONENT × the initial delay is already far beyond any sensible cap. DONE batches not reported because hand-added components wait for confirmation (HAND_ADD_REQUIRED). This round archived the last batch of the line: the table is empty now.</extracomment>
        <translation>Penyelesaian batch dijeda, database tidak terjangkau: {error}</translation>
    </message>
    <message>
        <source>MO {mo} dosed outside tolerance: {silos}</source>
        <translation>MO {mo} ditimbang di luar toleransi: {silos}</translation>
    </message>
    <message>
        <source>once</source>
        <translation>sekali</translation>
    </message>
    <message>
        <source>{count} times</source>
        <translation>{count} kali</translation>
    </message>
    <message>
        <source>MO {mo} (batch {batch}) needs ATTENTION: {action} Odoo failed {tries} ({error}); not retried automatically: use Retry, Cancel in Odoo or Archive as failed on the batch</source>
        <translation>MO {mo} (batch {batch}) perlu PERHATIAN: {action} Odoo gagal {tries} ({error}); tidak dicoba ulang otomatis: pakai Coba lagi, Batalkan di Odoo atau Arsipkan sebagai gagal pada batch ini</translation>
    </message>
    <message>
        <source>reporting to</source>
        <extracomment>What failed, as the odoo.push_failed alarm says it (mid-sentence).</extracomment>
        <translation>laporan ke</translation>
    </message>
    <message>
        <source>cancelling the failed batch in</source>
        <translation>pembatalan batch gagal di</translation>
    </message>
    <message>
        <source>Sync failed {failures} times in a row (last: {last})</source>
        <extracomment>A PLC value older than this many poll intervals is STALE, then OFFLINE. seconds since the last good read (or since watching began, before the first one)</extracomment>
        <translation>Sinkronisasi gagal {failures} kali berturut-turut (terakhir: {last})</translation>
    </message>
    <message>
        <source>MO {mo} left out of the sync: {reason}</source>
        <extracomment>How long a failed download waits for the PLC link to come back and be asked what it holds. Paging through Odoo's MO list until this line has enough MOs: at most this many pages.</extracomment>
        <translation>MO {mo} tidak diikutkan dalam sinkronisasi: {reason}</translation>
    </message>
    <message>
        <source>Batch {batch} (MO {mo}) HELD: {reason}</source>
        <translation>Batch {batch} (MO {mo}) DITAHAN: {reason}</translation>
    </message>
    <message>
        <source>the PLC could not be asked whether it has the recipe; held, it is not downloaded again. It is asked again at every sync; if the PLC was reset, clear the table and release it</source>
        <translation>PLC tidak dapat ditanya apakah resepnya sudah ada; ditahan, tidak dikirim ulang. PLC ditanya lagi di setiap sinkronisasi; bila PLC di-reset, kosongkan tabel dan lepas MO-nya</translation>
    </message>
    <message>
        <source>the PLC write of this batch had started when it was cut off, and the PLC shows nothing of it: it may have taken it and lost it (a reset). Held: check the PLC, then clear and release</source>
        <translation>penulisan batch ini ke PLC sudah dimulai saat terputus, dan PLC tidak menunjukkan apa pun darinya: PLC mungkin sudah mengambilnya lalu kehilangannya (reset). Ditahan: periksa PLC, lalu kosongkan dan lepaskan</translation>
    </message>
    <message>
        <source>written by the instance that served the line before (host {host}, PID {pid}), which may still be writing the PLC; held, it is asked about again at the next sync</source>
        <translation>ditulis oleh instans yang melayani lini sebelumnya (host {host}, PID {pid}), yang mungkin masih menulis ke PLC; ditahan, ditanyakan lagi pada sinkronisasi berikutnya</translation>
    </message>
    <message>
        <source>the PLC holds only part of this download (it is missing from its slot); held, it is not downloaded again until an operator clears and releases it</source>
        <translation>PLC hanya memegang sebagian dari kiriman ini (tidak ada di slotnya); ditahan, tidak dikirim ulang sampai operator mengosongkan tabel dan melepasnya</translation>
    </message>
    <message>
        <source>The database does not answer, PLC readings are not stored: {error}</source>
        <extracomment>The actor of a confirmation read from the PLC's manual-weighing area. "MO product_id" of a manual weighing taken into the hand-added checklist by this poll. Keeps the dosing samples (changed values only, one INSERT per round); None = not recorded. EquipmentFailureService (set by the runtime): handles the failure record each good read carries. SyncService.withdraw_orphaned_recipes (set by the runtime): run after the first good read since the start, so that recipes a Clear cut off by a crash left in the WRITE slots are blanked before the PLC can take them, without waiting for the first sync.</extracomment>
        <translation>Database tidak menjawab, pembacaan PLC tidak disimpan: {error}</translation>
    </message>
    <message>
        <source>Batch {batch} (MO {mo}) FAILED on the PLC</source>
        <translation>Batch {batch} (MO {mo}) GAGAL di PLC</translation>
    </message>
    <message>
        <source>Batch {batch} (MO {mo}) needs ATTENTION: its final PLC reading was refused: {reason}</source>
        <translation>Batch {batch} (MO {mo}) perlu PERHATIAN: pembacaan akhir PLC ditolak: {reason}</translation>
    </message>
    <message>
        <source>PLC {plc} offline: {error}</source>
        <translation>PLC {plc} terputus: {error}</translation>
    </message>
    <message>
        <source>PLC {plc} readings fail, the table is not current: {error}</source>
        <translation>Pembacaan PLC {plc} gagal, tabel tidak terkini: {error}</translation>
    </message>
    <message>
        <source>the download could not be confirmed</source>
        <translation>pengiriman ke PLC tidak dapat dipastikan</translation>
    </message>
    <message>
        <source>Batch {batch} (MO {mo}) STUCK: no PLC progress for more than {minutes} minutes</source>
        <translation>Batch {batch} (MO {mo}) MACET: tidak ada kemajuan di PLC lebih dari {minutes} menit</translation>
    </message>
    <message>
        <source>silo {silo}: target {target} kg, actual {actual} kg, deviation {deviation} kg ({percent} %), allowed ±{allowed} kg</source>
        <translation>silo {silo}: target {target} kg, aktual {actual} kg, deviasi {deviation} kg ({percent} %), batas ±{allowed} kg</translation>
    </message>
    <message>
        <source>This instance lost its line and stopped: {reason}</source>
        <extracomment>The lock was taken again; the PLC has not been asked yet what happened meanwhile.</extracomment>
        <translation>Instans ini kehilangan lininya dan berhenti: {reason}</translation>
    </message>
</context>
<context>
    <name>OverviewWindow</name>
    <message>
        <source>DATABASE UNREACHABLE: {error} — tiles show the last reading</source>
        <translation>DATABASE TIDAK TERJANGKAU: {error} — kotak lini menampilkan bacaan terakhir</translation>
    </message>
    <message>
        <source>Reading the database…</source>
        <extracomment>What the summary says: (source text, fields), or None when it counts the lines shown.</extracomment>
        <translation>Membaca database…</translation>
    </message>
    <message>
        <source>Batch HMI — plant overview (read only)</source>
        <translation>Batch HMI — ringkasan pabrik (hanya lihat)</translation>
    </message>
    <message>
        <source>Database: {database} · read only · {offline} after {beats} missed heartbeats ({seconds} s)</source>
        <translation>Database: {database} · hanya lihat · {offline} setelah {beats} detak terlewat ({seconds} detik)</translation>
    </message>
    <message>
        <source>{lines} line(s) · {states} · updated {time}</source>
        <translation>{lines} lini · {states} · diperbarui {time}</translation>
    </message>
    <message>
        <source>Line {line} could not be read: {error}</source>
        <translation>Lini {line} tidak dapat dibaca: {error}</translation>
    </message>
</context>
<context>
    <name>ReportsTab</name>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Buku kerja Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>This shift</source>
        <extracomment>The range presets as the combo box names them (the service layer's PRESET_TEXT, in the window's language).</extracomment>
        <translation>Shift ini</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hari ini</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Kemarin</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 hari terakhir</translation>
    </message>
    <message>
        <source>Batches by final status</source>
        <extracomment>The words of the report's tables (hmi.services.report_export.report_sections) as the tab shows them. The exported files keep them in English: they are the plant's record.</extracomment>
        <translation>Batch per status akhir</translation>
    </message>
    <message>
        <source>Completed batches per product</source>
        <translation>Batch selesai per produk</translation>
    </message>
    <message>
        <source>Consumption per silo (all archived batches)</source>
        <translation>Pemakaian per silo (semua batch di arsip)</translation>
    </message>
    <message>
        <source>Out of tolerance</source>
        <extracomment>The tabs of the three lists under the totals (out of tolerance, hand-added, dosed but not produced).</extracomment>
        <translation>Di luar toleransi</translation>
    </message>
    <message>
        <source>Added by hand</source>
        <translation>Ditambah manual</translation>
    </message>
    <message>
        <source>Dosed, not produced</source>
        <translation>Ditakar, tidak diproduksi</translation>
    </message>
    <message>
        <source>Dosed, not produced (book in Odoo by hand)</source>
        <translation>Ditakar, tidak diproduksi (bukukan manual di Odoo)</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <source>Booked by</source>
        <translation>Dibukukan oleh</translation>
    </message>
    <message>
        <source>OPEN</source>
        <translation>OPEN</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Batches</source>
        <translation>Jumlah batch</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produk</translation>
    </message>
    <message>
        <source>Target kg</source>
        <translation>Target kg</translation>
    </message>
    <message>
        <source>Actual kg</source>
        <translation>Aktual kg</translation>
    </message>
    <message>
        <source>Deviation kg</source>
        <translation>Deviasi kg</translation>
    </message>
    <message>
        <source>Deviation %</source>
        <translation>Deviasi %</translation>
    </message>
    <message>
        <source>Finished kg</source>
        <translation>Hasil kg</translation>
    </message>
    <message>
        <source>Silo</source>
        <translation>Silo</translation>
    </message>
    <message>
        <source>Kg</source>
        <translation>Kg</translation>
    </message>
    <message>
        <source>MO</source>
        <translation>MO</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>Silos</source>
        <translation>Silo</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Tidak ada</translation>
    </message>
    <message>
        <source>COMPLETED</source>
        <translation>SELESAI</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>GAGAL</translation>
    </message>
    <message>
        <source>CANCELLED</source>
        <translation>DIBATALKAN</translation>
    </message>
    <message>
        <source>CLEARED</source>
        <translation>DIKOSONGKAN</translation>
    </message>
    <message>
        <source>Tolerance verdicts are not recorded yet</source>
        <translation>Hasil uji toleransi belum dicatat</translation>
    </message>
    <message>
        <source>By hand kg</source>
        <translation>Manual kg</translation>
    </message>
    <message>
        <source>Open by hand</source>
        <translation>OPEN manual</translation>
    </message>
    <message>
        <source>Hand-added components (completed batches)</source>
        <translation>Bahan tambahan manual (batch selesai)</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Bahan</translation>
    </message>
    <message>
        <source>Weighed</source>
        <translation>Ditimbang</translation>
    </message>
    <message>
        <source>Weighed kg</source>
        <translation>Ditimbang kg</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>OPEN</translation>
    </message>
    <message>
        <source>Open target kg</source>
        <translation>Target OPEN kg</translation>
    </message>
    <message>
        <source>Shift {shift} from {start} to {end} ({zone})</source>
        <translation>Shift {shift} dari {start} sampai {end} ({zone})</translation>
    </message>
    <message>
        <source>{start} to {end} ({zone})</source>
        <translation>{start} sampai {end} ({zone})</translation>
    </message>
    <message>
        <source>Chosen times</source>
        <translation>Waktu pilihan</translation>
    </message>
    <message>
        <source>Ra&amp;nge:</source>
        <translation>&amp;Rentang:</translation>
    </message>
    <message>
        <source>to</source>
        <translation>sampai</translation>
    </message>
    <message>
        <source>Plant time ({zone})</source>
        <translation>Waktu pabrik ({zone})</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Export {format}…</source>
        <translation>Ekspor {format}…</translation>
    </message>
    <message>
        <source>Cannot show this range: {error}</source>
        <translation>Rentang ini tidak dapat ditampilkan: {error}</translation>
    </message>
    <message>
        <source>Loading the report of {range}…</source>
        <translation>Memuat laporan {range}…</translation>
    </message>
    <message>
        <source>Report unavailable: the database cannot be read</source>
        <translation>Laporan tidak tersedia: database tidak dapat dibaca</translation>
    </message>
    <message>
        <source>{count} archived batch</source>
        <translation>{count} batch di arsip</translation>
    </message>
    <message>
        <source>{count} archived batches</source>
        <translation>{count} batch di arsip</translation>
    </message>
    <message>
        <source>line {line}</source>
        <translation>lini {line}</translation>
    </message>
    <message>
        <source>all lines</source>
        <translation>semua lini</translation>
    </message>
    <message>
        <source>Production report {range} · {batches} · {line}</source>
        <translation>Laporan produksi {range} · {batches} · {line}</translation>
    </message>
    <message>
        <source>Out of tolerance: verdicts are not recorded yet</source>
        <translation>Di luar toleransi: hasil uji belum dicatat</translation>
    </message>
    <message>
        <source>{name} ({count})</source>
        <translation>{name} ({count})</translation>
    </message>
    <message>
        <source>Export the report as {format}</source>
        <translation>Ekspor laporan sebagai {format}</translation>
    </message>
    <message>
        <source>Export failed: {error}</source>
        <translation>Ekspor gagal: {error}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>default</source>
        <translation>bawaan</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>lingkungan</translation>
    </message>
    <message>
        <source>demo</source>
        <translation>demo</translation>
    </message>
    <message>
        <source>Settings in effect</source>
        <translation>Pengaturan yang berlaku</translation>
    </message>
    <message>
        <source>Settings file: {path}</source>
        <translation>Berkas pengaturan: {path}</translation>
    </message>
    <message>
        <source>No settings file found; built-in defaults, .env and environment apply.</source>
        <translation>Tidak ada berkas pengaturan; berlaku nilai bawaan, .env dan variabel lingkungan.</translation>
    </message>
    <message>
        <source>Secrets are masked. Change them in settings.ini or the environment and restart.</source>
        <translation>Rahasia disamarkan. Ubah di settings.ini atau variabel lingkungan lalu jalankan ulang.</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Nilai</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>Arti (bhs. Inggris)</translation>
    </message>
</context>
<context>
    <name>SettingsEditorDialog</name>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Koneksi</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Admin API token</source>
        <translation>Token API admin</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>All settings in effect…</source>
        <translation>Semua pengaturan yang berlaku…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>URL server</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Kunci API</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokol</translation>
    </message>
    <message>
        <source>FINS node</source>
        <translation>Node FINS</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Unit id</source>
        <translation>ID unit</translation>
    </message>
    <message>
        <source>Poll interval (s)</source>
        <translation>Interval baca (detik)</translation>
    </message>
    <message>
        <source>Sync interval (min)</source>
        <translation>Interval sinkron (menit)</translation>
    </message>
    <message>
        <source>MOs per sync</source>
        <translation>MO per sinkron</translation>
    </message>
    <message>
        <source>Automatic sync</source>
        <translation>Sinkron otomatis</translation>
    </message>
    <message>
        <source>Line code</source>
        <translation>Kode lini</translation>
    </message>
    <message>
        <source>Odoo</source>
        <translation>Odoo</translation>
    </message>
    <message>
        <source>PLC</source>
        <translation>PLC</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sinkronisasi</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Lini</translation>
    </message>
    <message>
        <source>Read-only: set by the environment variable {env}, which wins over settings.ini and .env; change it there</source>
        <translation>Hanya baca: diatur oleh variabel lingkungan {env}, yang mengalahkan settings.ini dan .env; ubah di sana</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Uji</translation>
    </message>
    <message>
        <source>Sync interval, MOs per sync, automatic sync and the poll interval apply at once; Odoo, PLC address and line code apply after a restart.</source>
        <translation>Interval sinkron, MO per sinkron, sinkron otomatis dan interval baca langsung berlaku; Odoo, alamat PLC dan kode lini berlaku setelah aplikasi dijalankan ulang.</translation>
    </message>
    <message>
        <source>on</source>
        <translation>aktif</translation>
    </message>
    <message>
        <source>unchanged (set)</source>
        <translation>tidak diubah (sudah diisi)</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>belum diisi</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Menguji…</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>Tidak ada perubahan.</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>Tidak disimpan: {error}</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Tersimpan.</translation>
    </message>
    <message>
        <source>Applied now: {keys}.</source>
        <translation>Berlaku sekarang: {keys}.</translation>
    </message>
    <message>
        <source>Needs a restart: {keys}.</source>
        <translation>Perlu dijalankan ulang: {keys}.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>PIN (at least 4 digits)</source>
        <translation>PIN (minimal 4 angka)</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>Ulangi PIN</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Tambah akun</translation>
    </message>
    <message>
        <source>Disable / enable the selected account</source>
        <translation>Nonaktifkan / aktifkan akun terpilih</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>Engineer</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktif</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>nonaktif</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>Kedua PIN tidak sama.</translation>
    </message>
    <message>
        <source>Account {name} created.</source>
        <translation>Akun {name} dibuat.</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>Anda tidak dapat menonaktifkan akun sendiri.</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Tampilkan</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Buat ulang</translation>
    </message>
    <message>
        <source>Generated; kept in {path} (readable only by this OS user).</source>
        <translation>Dibuat otomatis; disimpan di {path} (hanya dapat dibaca pengguna OS ini).</translation>
    </message>
    <message>
        <source>Set by API_TOKEN; change it where it is set.</source>
        <translation>Diatur oleh API_TOKEN; ubah di tempat ia diatur.</translation>
    </message>
    <message>
        <source>The engineer's token for the admin API (header Authorization: Bearer &lt;token&gt;). </source>
        <translation>Token engineer untuk API admin (header Authorization: Bearer &lt;token&gt;). </translation>
    </message>
    <message>
        <source>New token in effect; the old one no longer works.</source>
        <translation>Token baru berlaku; token lama tidak berfungsi lagi.</translation>
    </message>
</context>
<context>
    <name>ShelveDialog</name>
    <message>
        <source>15 minutes</source>
        <translation>15 menit</translation>
    </message>
    <message>
        <source>30 minutes</source>
        <translation>30 menit</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 jam</translation>
    </message>
    <message>
        <source>2 hours</source>
        <translation>2 jam</translation>
    </message>
    <message>
        <source>4 hours</source>
        <translation>4 jam</translation>
    </message>
    <message>
        <source>8 hours</source>
        <translation>8 jam</translation>
    </message>
    <message>
        <source>Shelve alarm</source>
        <translation>Tunda alarm</translation>
    </message>
    <message>
        <source>Hide {count} alarm(s) ({names}) from the list until the time ends.</source>
        <translation>Sembunyikan {count} alarm ({names}) dari daftar sampai waktunya habis.</translation>
    </message>
    <message>
        <source>Shelve for</source>
        <translation>Tunda selama</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>why (required), e.g. silo A under maintenance</source>
        <translation>alasan (wajib), mis. silo A sedang perawatan</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>Tunda</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Unknown name or account disabled</source>
        <translation>Nama tidak dikenal atau akun nonaktif</translation>
    </message>
    <message>
        <source>Account locked after {tries} wrong PINs: try again in {seconds} s</source>
        <translation>Akun terkunci setelah {tries} kali PIN salah: coba lagi dalam {seconds} detik</translation>
    </message>
    <message>
        <source>Wrong PIN. Account locked for {seconds} s after {tries} wrong PINs</source>
        <translation>PIN salah. Akun terkunci {seconds} detik setelah {tries} kali PIN salah</translation>
    </message>
    <message>
        <source>Wrong PIN: 1 more try before the account is locked for {seconds} s</source>
        <translation>PIN salah: tinggal 1 kali coba sebelum akun terkunci {seconds} detik</translation>
    </message>
    <message>
        <source>Wrong PIN: {left} more tries before the account is locked for {seconds} s</source>
        <translation>PIN salah: tinggal {left} kali coba sebelum akun terkunci {seconds} detik</translation>
    </message>
    <message>
        <source>{name} is {role}; a {needed} must approve</source>
        <translation>{name} adalah {role}; persetujuan harus dari {needed}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Memeriksa…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Choose your name and enter your PIN.</source>
        <translation>Pilih nama Anda dan masukkan PIN.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Choose your name first.</source>
        <translation>Pilih nama dulu.</translation>
    </message>
    <message>
        <source>Enter your PIN on the keypad.</source>
        <translation>Masukkan PIN dengan tombol angka.</translation>
    </message>
</context>
<context>
    <name>SilosDialog</name>
    <message>
        <source>Silo</source>
        <translation>Silo</translation>
    </message>
    <message>
        <source>Internal reference</source>
        <translation>Kode internal</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produk</translation>
    </message>
    <message>
        <source>Tolerance kg</source>
        <extracomment>With a tolerance service: the per-silo dosing tolerance overrides (blank = the default).</extracomment>
        <translation>Toleransi kg</translation>
    </message>
    <message>
        <source>Tolerance %</source>
        <translation>Toleransi %</translation>
    </message>
    <message>
        <source>Searching Odoo products needs a stock Odoo protocol (ODOO_API=jsonrpc, json2 or auto)</source>
        <translation>Mencari produk Odoo perlu protokol Odoo standar (ODOO_API=jsonrpc, json2 atau auto)</translation>
    </message>
    <message>
        <source>Silos — product in each silo and tank</source>
        <extracomment>Loading, a search or a save finished (tests and screenshots wait for it). The message line, kept as a function so it follows a change of language.</extracomment>
        <translation>Silo — bahan di setiap silo dan tangki</translation>
    </message>
    <message>
        <source>Blank = the default tolerance</source>
        <translation>Kosong = toleransi bawaan</translation>
    </message>
    <message>
        <source>Dosing tolerance: within when |actual − target| ≤ max(kg, % × target). Blank = the default ({kg} kg, {percent} %).</source>
        <translation>Toleransi penimbangan: masuk bila |aktual − target| ≤ max(kg, % × target). Kosong = bawaan ({kg} kg, {percent} %).</translation>
    </message>
    <message>
        <source>One product per silo, one silo per product. MOs with a component in no silo are left out of the sync.</source>
        <translation>Satu bahan per silo, satu silo per bahan. MO dengan bahan yang tidak ada di silo mana pun tidak ikut sinkronisasi.</translation>
    </message>
    <message>
        <source>Internal reference or name, e.g. RM-CORN or corn</source>
        <translation>Kode internal atau nama, mis. RM-CORN atau jagung</translation>
    </message>
    <message>
        <source>&amp;Search Odoo</source>
        <translation>&amp;Cari di Odoo</translation>
    </message>
    <message>
        <source>&amp;Put in selected silo</source>
        <translation>&amp;Masukkan ke silo terpilih</translation>
    </message>
    <message>
        <source>&amp;Empty selected silo</source>
        <translation>K&amp;osongkan silo terpilih</translation>
    </message>
    <message>
        <source>&amp;Import CSV…</source>
        <translation>&amp;Impor CSV…</translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>E&amp;kspor CSV…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <source>The silo assignment could not be read: {error}</source>
        <translation>Isi silo tidak dapat dibaca: {error}</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>Tidak disimpan: {error}</translation>
    </message>
    <message>
        <source>Saved by {actor}: {count} change(s)</source>
        <translation>Disimpan oleh {actor}: {count} perubahan</translation>
    </message>
    <message>
        <source>Saved: nothing changed</source>
        <translation>Disimpan: tidak ada perubahan</translation>
    </message>
    <message>
        <source>{silo}: tolerance '{value}' {unit} is not a number</source>
        <translation>{silo}: toleransi '{value}' {unit} bukan angka</translation>
    </message>
    <message>
        <source>{silo}: a tolerance cannot be negative</source>
        <translation>{silo}: toleransi tidak boleh negatif</translation>
    </message>
    <message>
        <source>Search failed: {error}</source>
        <translation>Pencarian gagal: {error}</translation>
    </message>
    <message>
        <source>{count} product(s) found</source>
        <translation>{count} produk ditemukan</translation>
    </message>
    <message>
        <source>No product with an internal reference matches</source>
        <translation>Tidak ada produk berkode internal yang cocok</translation>
    </message>
    <message>
        <source>{code} put in {silo} (not saved yet)</source>
        <translation>{code} dimasukkan ke {silo} (belum disimpan)</translation>
    </message>
    <message>
        <source>Not imported: {error}</source>
        <translation>Tidak diimpor: {error}</translation>
    </message>
    <message>
        <source>Imported (not saved yet)</source>
        <translation>Diimpor (belum disimpan)</translation>
    </message>
    <message>
        <source>Import silo assignment</source>
        <translation>Impor isi silo</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Berkas CSV (*.csv)</translation>
    </message>
    <message>
        <source>Not exported: {error}</source>
        <translation>Tidak diekspor: {error}</translation>
    </message>
    <message>
        <source>Export silo assignment</source>
        <translation>Ekspor isi silo</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>Diekspor ke {path}</translation>
    </message>
</context>
<context>
    <name>StatusBadge</name>
    <message>
        <source>disconnected</source>
        <extracomment>The PLC link's state (hmi.domain.ConnectionState) as the tooltip says it.</extracomment>
        <translation>terputus</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>menyambung</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>terhubung</translation>
    </message>
    <message>
        <source>fault</source>
        <translation>gangguan</translation>
    </message>
    <message>
        <source>PLC DISABLED</source>
        <translation>PLC NONAKTIF</translation>
    </message>
    <message>
        <source>PLC_ENABLED=false: batches are stored without being written to a PLC</source>
        <translation>PLC_ENABLED=false: batch disimpan tanpa dikirim ke PLC</translation>
    </message>
    <message>
        <source>last good read {age} ago</source>
        <translation>bacaan baik terakhir {age} lalu</translation>
    </message>
    <message>
        <source>no good read yet</source>
        <translation>belum ada bacaan baik</translation>
    </message>
    <message>
        <source>PLC at {endpoint}: link {state}, {read}</source>
        <translation>PLC di {endpoint}: koneksi {state}, {read}</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>Galat terakhir: {error}</translation>
    </message>
    <message>
        <source>PLC OFFLINE</source>
        <translation>PLC TERPUTUS</translation>
    </message>
    <message>
        <source>PLC STALE</source>
        <translation>DATA PLC LAMA</translation>
    </message>
    <message>
        <source>PLC CONNECTING</source>
        <translation>PLC MENYAMBUNG</translation>
    </message>
    <message>
        <source>PLC CONNECTED</source>
        <translation>PLC TERHUBUNG</translation>
    </message>
    <message>
        <source>Last answer from Odoo: {time}</source>
        <translation>Jawaban terakhir dari Odoo: {time}</translation>
    </message>
    <message>
        <source>Odoo has not answered yet</source>
        <translation>Odoo belum menjawab</translation>
    </message>
    <message>
        <source>Odoo FAULT</source>
        <translation>Odoo GANGGUAN</translation>
    </message>
    <message>
        <source>Odoo not asked yet</source>
        <translation>Odoo belum dihubungi</translation>
    </message>
    <message>
        <source>Odoo is asked at the next sync</source>
        <translation>Odoo dihubungi pada sinkronisasi berikutnya</translation>
    </message>
    <message>
        <source>Odoo OK</source>
        <translation>Odoo OK</translation>
    </message>
    <message>
        <source>{contact} ({age} ago)</source>
        <translation>{contact} ({age} lalu)</translation>
    </message>
    <message>
        <source>DB …</source>
        <translation>DB …</translation>
    </message>
    <message>
        <source>The batch table has not been read yet</source>
        <translation>Tabel batch belum dibaca</translation>
    </message>
    <message>
        <source>DB FAULT</source>
        <translation>DB GANGGUAN</translation>
    </message>
    <message>
        <source>The batch table cannot be read: {error}</source>
        <translation>Tabel batch tidak dapat dibaca: {error}</translation>
    </message>
    <message>
        <source>DB OK</source>
        <translation>DB OK</translation>
    </message>
    <message>
        <source>The batch table was read at the last refresh</source>
        <translation>Tabel batch terbaca pada penyegaran terakhir</translation>
    </message>
</context>
<context>
    <name>TicketButton</name>
    <message>
        <source>&amp;Ticket…</source>
        <translation>&amp;Tiket…</translation>
    </message>
    <message>
        <source>The ticket is made once the PLC has finished the batch</source>
        <translation>Tiket dibuat setelah PLC menyelesaikan batch</translation>
    </message>
</context>
<context>
    <name>TicketDialog</name>
    <message>
        <source>Loading the ticket…</source>
        <extracomment>The dosing curve in a batch's details gives way to the silo table down to this height (px). What the browser says until the ticket is shown: (source text, fields); None once shown.</extracomment>
        <translation>Memuat tiket…</translation>
    </message>
    <message>
        <source>Batch ticket — {mo}</source>
        <translation>Tiket batch — {mo}</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Cetak…</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>Simpan sebagai P&amp;DF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Available once the ticket is loaded</source>
        <translation>Tersedia setelah tiket dimuat</translation>
    </message>
    <message>
        <source>The ticket cannot be read from the database: {error}</source>
        <translation>Tiket tidak dapat dibaca dari database: {error}</translation>
    </message>
    <message>
        <source>Sent to the printer</source>
        <translation>Terkirim ke printer</translation>
    </message>
    <message>
        <source>Save the ticket as PDF</source>
        <translation>Simpan tiket sebagai PDF</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>Tidak disimpan: {error}</translation>
    </message>
    <message>
        <source>Saved to {file}</source>
        <translation>Tersimpan di {file}</translation>
    </message>
</context>
<context>
    <name>ToleranceView</name>
    <message>
        <source>within</source>
        <extracomment>A line against its tolerance, as the table, the details and their tooltips say it.</extracomment>
        <translation>masuk</translation>
    </message>
    <message>
        <source>OVER</source>
        <translation>LEBIH</translation>
    </message>
    <message>
        <source>UNDER</source>
        <translation>KURANG</translation>
    </message>
    <message>
        <source>{percent}
within</source>
        <extracomment>The widest the Batch deviation cell gets (the column is sized for it).</extracomment>
        <translation>{percent}
masuk</translation>
    </message>
    <message>
        <source>{percent}
OUTSIDE silo {silos}</source>
        <translation>{percent}
OUTSIDE silo {silos}</translation>
    </message>
    <message>
        <source>Batch total (silos + confirmed by hand): target {target} kg, actual {actual} kg, deviation {kg} kg ({percent})</source>
        <translation>Total batch (silo + manual terkonfirmasi): target {target} kg, aktual {actual} kg, deviasi {kg} kg ({percent})</translation>
    </message>
    <message>
        <source>By hand still OPEN, not counted: {count} ({kg} kg)</source>
        <translation>Manual masih OPEN, tidak dihitung: {count} ({kg} kg)</translation>
    </message>
    <message>
        <source>Worst silo: {silo} {percent}</source>
        <translation>Silo terjauh: {silo} {percent}</translation>
    </message>
    <message>
        <source>Judged against the dosing tolerance once the PLC has finished the batch</source>
        <translation>Dinilai terhadap toleransi penimbangan setelah PLC menyelesaikan batch</translation>
    </message>
    <message>
        <source>silo {silo}: target {target} kg, actual {actual} kg, deviation {kg} kg ({percent}), allowed ±{allowed} kg</source>
        <translation>silo {silo}: target {target} kg, aktual {actual} kg, deviasi {kg} kg ({percent}), batas ±{allowed} kg</translation>
    </message>
</context>
<context>
    <name>TrendPlot</name>
    <message>
        <source>Point at the plot for a reading</source>
        <extracomment>Fifteen distinguishable colours (Tableau 20 order), one per silo; dashes and the legend say which. The dosing curve never spans less than this (s): a batch seconds old reads in whole seconds.</extracomment>
        <translation>Arahkan ke grafik untuk membaca nilai</translation>
    </message>
    <message>
        <source>plant time ({zone})</source>
        <translation>waktu pabrik ({zone})</translation>
    </message>
    <message>
        <source>Save plot as PNG…</source>
        <translation>Simpan grafik sebagai PNG…</translation>
    </message>
    <message>
        <source>Save the plot as PNG</source>
        <translation>Simpan grafik sebagai PNG</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Gambar PNG (*.png)</translation>
    </message>
    <message>
        <source>kg</source>
        <translation>kg</translation>
    </message>
    <message>
        <source>No dosing samples recorded for this batch</source>
        <extracomment>The x range is held at [first sample, + MIN_SPAN_SECONDS] while the batch is younger.</extracomment>
        <translation>Belum ada data penimbangan untuk batch ini</translation>
    </message>
    <message>
        <source>Dosing samples unavailable: {error}</source>
        <translation>Data penimbangan tidak tersedia: {error}</translation>
    </message>
    <message>
        <source>kg per hour</source>
        <translation>kg per jam</translation>
    </message>
</context>
<context>
    <name>TrendsTab</name>
    <message>
        <source>Last 24 hours</source>
        <translation>24 jam terakhir</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 hari terakhir</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 hari terakhir</translation>
    </message>
    <message>
        <source>Opening the trend…</source>
        <extracomment>What the title says: a source text and its fields, or the range of the hours shown.</extracomment>
        <translation>Membuka tren…</translation>
    </message>
    <message>
        <source>Ra&amp;nge:</source>
        <translation>&amp;Rentang:</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Kg dosed per silo per hour, {start} to {end} ({zone}) · {total} kg in all</source>
        <translation>Kg tertimbang per silo per jam, {start} sampai {end} ({zone}) · total {total} kg</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Memuat…</translation>
    </message>
    <message>
        <source>Trends unavailable: the database cannot be read</source>
        <translation>Tren tidak tersedia: database tidak dapat dibaca</translation>
    </message>
</context>
</TS>