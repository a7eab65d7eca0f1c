"use client";

import { useState, type FormEvent } from "react";
import { formatArea } from "@/lib/format";
import { errorText } from "../api";
import { useCreateHouse, useHouses } from "./queries";

export function HouseList() {
  const [search, setSearch] = useState("");
  const houses = useHouses(search.trim());

  return (
    <section aria-labelledby="houses-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 id="houses-heading" className="text-2xl font-semibold">
          Дома
        </h1>
        <label className="flex flex-col text-sm">
          <span className="mb-1 text-slate-700">Поиск по адресу</span>
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            className="rounded border border-slate-300 px-3 py-2 focus:outline-2 focus:outline-brand-600"
          />
        </label>
      </div>

      {houses.isPending && <p role="status">Загрузка…</p>}
      {houses.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          Не удалось загрузить дома: {houses.error.message}
        </p>
      )}
      {houses.isSuccess &&
        (houses.data.items.length === 0 ? (
          <p className="text-slate-600">{search ? "Ничего не найдено." : "Домов пока нет — добавьте первый."}</p>
        ) : (
          <table className="w-full overflow-hidden rounded-lg bg-white text-left shadow-sm">
            <thead className="bg-slate-100 text-sm text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2">Адрес</th>
                <th scope="col" className="px-4 py-2 text-right">Квартир</th>
                <th scope="col" className="px-4 py-2 text-right">Общая площадь</th>
              </tr>
            </thead>
            <tbody>
              {houses.data.items.map((h) => (
                <tr key={h.id} className="border-t border-slate-100">
                  <td className="px-4 py-2">{h.address}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{h.apartments_count}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{formatArea(h.total_area)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}

      <CreateHouseForm />
    </section>
  );
}

function CreateHouseForm() {
  const [address, setAddress] = useState("");
  const create = useCreateHouse();
  const error = errorText(create.error, "address");

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(address, { onSuccess: () => setAddress("") });
  };

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm">
      <label className="flex min-w-72 flex-1 flex-col text-sm">
        <span className="mb-1 text-slate-700">Адрес нового дома</span>
        <input
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "new-house-error" : undefined}
          className="rounded border border-slate-300 px-3 py-2 focus:outline-2 focus:outline-brand-600"
        />
      </label>
      <button
        type="submit"
        disabled={create.isPending}
        className="rounded bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        Добавить дом
      </button>
      {error && (
        <p id="new-house-error" role="alert" className="w-full text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
