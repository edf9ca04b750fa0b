"""The folder one hostile case runs in: a copy of the shipped configs/ (configs, inventories,
profiles, lists, the WRF example) and the mutations that make a bad input from a good one. Each
mutation returns the line number (1-based) it touched, so that a case can expect it in the message."""
import os
import re
import shutil


class Workspace:
    def __init__(self, root, source):
        self.root = root
        self.source = source
        if os.path.exists(root):
            shutil.rmtree(root)
        shutil.copytree(os.path.join(source, "configs"), os.path.join(root, "configs"))

    def path(self, rel):
        return rel if os.path.isabs(rel) else os.path.join(self.root, rel)

    # ---- text files -----------------------------------------------------------------------------
    def read_lines(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read().split("\n")

    def write_lines(self, rel, lines):
        with open(self.path(rel), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))

    def write(self, rel, content):
        path = self.path(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if isinstance(content, bytes) else "w") as f:
            f.write(content)
        return path

    def copy(self, src_rel, dst_rel):
        shutil.copyfile(self.path(src_rel), self.path(dst_rel))

    def sub(self, rel, pattern, repl, every=False):
        """Replaces pattern (a regex matched per line) by repl on the first matching line, or on
        every one; returns the first line changed."""
        lines = self.read_lines(rel)
        first = None
        for n, line in enumerate(lines):
            if re.search(pattern, line):
                lines[n] = re.sub(pattern, repl, line)
                first = first or n + 1
                if not every:
                    break
        if first is None:
            raise ValueError("%s: no line matches /%s/" % (rel, pattern))
        self.write_lines(rel, lines)
        return first

    def delete(self, rel, pattern):
        """Deletes the first line matching pattern; returns its number."""
        lines = self.read_lines(rel)
        for n, line in enumerate(lines):
            if re.search(pattern, line):
                del lines[n]
                self.write_lines(rel, lines)
                return n + 1
        raise ValueError("%s: no line matches /%s/" % (rel, pattern))

    def insert_after(self, rel, pattern, text):
        """Inserts a line after the first line matching pattern; returns the new line's number."""
        lines = self.read_lines(rel)
        for n, line in enumerate(lines):
            if re.search(pattern, line):
                lines.insert(n + 1, text)
                self.write_lines(rel, lines)
                return n + 2
        raise ValueError("%s: no line matches /%s/" % (rel, pattern))

    def append(self, rel, text):
        """Appends a line; returns its number."""
        lines = self.read_lines(rel)
        while lines and lines[-1] == "":
            lines.pop()
        lines.append(text)
        self.write_lines(rel, lines + [""])
        return len(lines)

    def csv_rows(self, rel):
        """(index in lines, cells) of the data rows of a CSV file (after the header; '#' comments and
        blank lines skipped), with the lines and the header."""
        lines = self.read_lines(rel)
        header, rows = None, []
        for n, line in enumerate(lines):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            cells = [c.strip() for c in s.split(",")]
            if header is None:
                header = cells
            else:
                rows.append((n, cells))
        return lines, header, rows

    def csv_row_index(self, rows, rel, key):
        for n, cells in rows:
            if key is None or cells[0] == key:
                return n, cells
        raise ValueError("%s: no row %s" % (rel, key))

    def csv_cell(self, rel, key, column, value):
        """Sets one cell in the row whose first cell is key (None: the first data row); returns the
        row's line number."""
        lines, header, rows = self.csv_rows(rel)
        n, cells = self.csv_row_index(rows, rel, key)
        cells[header.index(column)] = value
        lines[n] = ",".join(cells)
        self.write_lines(rel, lines)
        return n + 1

    def csv_row(self, rel, key=None):
        """The text of a CSV row (first cell key, or the first data row) and its line number."""
        lines, _, rows = self.csv_rows(rel)
        n, _ = self.csv_row_index(rows, rel, key)
        return lines[n], n + 1

    # ---- binary files ---------------------------------------------------------------------------
    def truncate(self, rel, fraction):
        path = self.path(rel)
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            f.truncate(int(size * fraction))

    def overwrite(self, rel, where, data):
        """Writes data over the file at the fraction `where` of its length (damage on disk)."""
        path = self.path(rel)
        with open(path, "r+b") as f:
            f.seek(int(os.path.getsize(path) * where))
            f.write(data)

    # ---- NetCDF (netCDF4-python, /usr/bin/python3) ------------------------------------------------
    def nc_edit(self, rel, edit):
        """Opens a NetCDF/HDF5 file for writing and calls edit(dataset)."""
        import netCDF4
        with netCDF4.Dataset(self.path(rel), "r+") as d:
            d.set_auto_mask(False)
            edit(d)

    def nc_rewrite(self, src_rel, dst_rel, skip=(), replace=None, attrs=None, dims=None):
        """Copies a NetCDF/HDF5 file variable by variable into a new NetCDF-4 file: variables in
        `skip` are left out, replace[name] = (dims, dtype, data) gives a variable other dimensions or
        values (new dimensions are made as needed), attrs overrides global attributes, dims[name] gives
        a dimension another length."""
        import netCDF4
        replace = replace or {}
        with netCDF4.Dataset(self.path(src_rel)) as s, netCDF4.Dataset(self.path(dst_rel), "w") as d:
            s.set_auto_mask(False)
            for name, dim in s.dimensions.items():
                d.createDimension(name, (dims or {}).get(name, None if dim.isunlimited() else len(dim)))
            for name in s.ncattrs():
                d.setncattr(name, s.getncattr(name))
            for name, value in (attrs or {}).items():
                d.setncattr(name, value)
            for name, var in s.variables.items():
                if name in skip:
                    continue
                if name in replace:
                    dims, dtype, data = replace[name]
                    for dn, n in zip(dims, data.shape):
                        if dn not in d.dimensions:
                            d.createDimension(dn, n)
                else:
                    dims, dtype, data = var.dimensions, var.dtype, var[...]
                v = d.createVariable(name, dtype, dims)
                for a in var.ncattrs():
                    if a != "_FillValue":
                        v.setncattr(a, var.getncattr(a))
                v[...] = data
