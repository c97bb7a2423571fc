"""An example first checklist per cluster, offered to a Dinkes that has none yet.

It is an *example*, stored with source ``example`` and shown as such, for the Dinkes to edit
(every edit publishes a new version). The items are drawn from the ILP guidance as DOMAIN.md
summarises it (§1.2 clusters, §2.6 PWS and lokmin cadence, §2.7 what each cluster reports,
§4.1 pembinaan terpadu); they are not an official Kemenkes instrument. The text is content in
Bahasa Indonesia as a Dinkes would write it (not a UI string: it is stored as written and not
translated). Each row: (code, text, catalogue indicator code or "")."""

from __future__ import annotations

EXAMPLE: dict[str, list[tuple[str, str, str]]] = {
    "k1": [
        (
            "1.1",
            "Lokakarya mini bulanan diselenggarakan bulan lalu, dengan notulen dan daftar hadir.",
            "",
        ),
        ("1.2", "Setiap PJ klaster memaparkan kegiatan dan hasil PWS pada lokmin bulanan.", ""),
        ("1.3", "Data sasaran tahun berjalan per desa sudah ditetapkan dan dipakai di PWS.", ""),
        ("1.4", "PWS diperbarui sampai bulan lalu dan dibahas dengan setiap pustu.", ""),
        (
            "1.5",
            "Kartu stok obat dan BMHP diisi dan sesuai dengan stok fisik pada hari kunjungan.",
            "",
        ),
        ("1.6", "Laporan bulanan dikirim tepat waktu ke Dinas Kesehatan.", ""),
    ],
    "k2": [
        (
            "2.1",
            "Register kohort ibu lengkap: setiap ibu hamil tercatat dengan kunjungan ANC-nya.",
            "k1",
        ),
        (
            "2.2",
            "Setiap ibu hamil dan balita memiliki buku KIA yang diisi pada setiap kunjungan.",
            "",
        ),
        ("2.3", "PWS KIA diperbarui dan ibu hamil yang belum K1/K4 disisir (sweeping).", "k4"),
        (
            "2.4",
            "Alur rujukan kegawatdaruratan maternal-neonatal tertulis dan diketahui petugas.",
            "",
        ),
        ("2.5", "Register imunisasi lengkap dan anak yang belum lengkap dilacak (DOFU).", "idl"),
        ("2.6", "Hasil penimbangan posyandu (D/S) masuk ke PWS gizi setiap bulan.", "ds"),
    ],
    "k3": [
        (
            "3.1",
            "Skrining PTM (tekanan darah, gula darah, IMT) dilakukan pada usia 15 tahun ke atas.",
            "ptm_15",
        ),
        ("3.2", "Posbindu PTM berjalan di setiap desa sesuai jadwal.", ""),
        (
            "3.3",
            "Penderita hipertensi dan diabetes yang tidak kontrol dilacak.",
            "hipertensi_pelayanan",
        ),
        ("3.4", "Skrining lansia (SKILAS) dilakukan dan hasilnya tercatat.", "lansia_skrining"),
        (
            "3.5",
            "Skrining kesehatan jiwa (SRQ-20) dilakukan dan yang positif ditindaklanjuti.",
            "srq20_skrining",
        ),
    ],
    "k4": [
        ("4.1", "Penemuan kasus TB: terduga TB diperiksa (TCM) dan tercatat.", ""),
        ("4.2", "Investigasi kontak dilakukan untuk setiap kasus TB baru.", ""),
        ("4.3", "Kontak serumah dinilai untuk TPT dan hasilnya tercatat.", ""),
        ("4.4", "Laporan SKDR dikirim setiap minggu; sinyal KLB dilaporkan dalam 24 jam.", ""),
    ],
    "lintas": [
        ("L.1", "Layanan gawat darurat siap: alat, obat emergensi dan jadwal jaga tersedia.", ""),
        ("L.2", "Kefarmasian: resep dan pemakaian obat tercatat, obat kedaluwarsa dipisahkan.", ""),
        ("L.3", "Laboratorium: pemeriksaan dicatat dan mutu internal dijalankan.", ""),
    ],
}
