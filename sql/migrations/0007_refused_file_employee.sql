-- Coverage per unit and source from the rows that loaded (contracts.md §5, domain-rules R13).
-- The NIPs a refused file's rows name (its rejected rows included, and the lines of a file refused
-- before its rows were typed, e.g. a column missing), kept as found: coverage places them in units
-- through the run's employees. A unit with other rows of the source is rated; only these employees'
-- figures that need the source are withheld. A file naming no NIP (empty, unreadable) concerns no one.
create table meta.refused_file_employee (
    run_id  bigint not null references meta.run,
    file_no integer not null,
    nip     text not null,
    primary key (run_id, file_no, nip)
);

comment on column meta.refused_file_unit.unit_code is
    'a unit whose rows the refused file held; ''(city-wide)'' for a source kept city-wide'
    ' (traffic_violations, holidays): the file held rows for every unit';
