-- Coverage per unit and source from the rows that loaded (contracts.md §5, domain-rules R13).
-- A refused file whose rows were read and typed (refused by a 5 % rule) notes the employees whose
-- rows it held: when their unit has other rows of the source, the unit is rated and only these
-- employees' figures that need the source are withheld. A file refused before its rows were typed
-- (empty, unreadable, a column missing) has no known employees or units and affects no one's
-- coverage status; the run summary lists it.
create table meta.refused_file_employee (
    run_id  bigint not null references meta.run,
    file_no integer not null,
    nip     text not null,
    primary key (run_id, file_no, nip)
);

comment on column meta.refused_file_unit.unit_code is
    'a unit whose rows the refused file held; ''(city-wide)'' for a source kept city-wide'
    ' (traffic_violations, holidays): the file held rows for every unit';
